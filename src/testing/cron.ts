/**
 * Airbyte's own check of a Quartz expression on connection create/update: 6 or 7 fields, a
 * trailing " UTC" allowed, and integer seconds and minutes (so nothing runs more often than
 * hourly). Returns the normalized expression, or an error message as Airbyte words it.
 */
export function checkAirbyteCron(expression: string | undefined): { ok: true; cron: string } | { ok: false; message: string } {
  if (!expression || !expression.trim()) return { ok: false, message: 'Missing cron expression in the schedule.' };
  const cron = expression.trim().replace(/\s+UTC$/i, '');
  const fields = cron.split(/\s+/);
  const invalid = {
    ok: false as const,
    message: `The cron expression ${cron} is not valid or is less than the one hour minimum. The seconds and minutes values cannot be \`*\`.`,
  };
  if (fields.length < 6 || fields.length > 7) return invalid;
  const [sec, min, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  if (!/^\d{1,2}$/.test(sec) || Number(sec) > 59) return invalid;
  if (!/^\d{1,2}$/.test(min) || Number(min) > 59) return invalid;
  const quartzField = /^[0-9A-Za-z*?/,\-#LW]+$/;
  if (![hour, dom, month, dow].every((f) => quartzField.test(f))) return invalid;
  // Quartz requires `?` in exactly one of day-of-month and day-of-week.
  if ((dom === '?') === (dow === '?')) return invalid;
  return { ok: true, cron };
}
