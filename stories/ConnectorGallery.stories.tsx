import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { SourceForm } from '../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { withProvider } from './withProvider.tsx';
import type { JsonSchema } from '../src/shared/contract.ts';
import { realSpecFile, realSpecNames } from './realSpecs.ts';

/**
 * Every real connector spec from ../shared/connector-specs (when it is next to this checkout),
 * loaded on demand: pick one with the "connector" control.
 */
const names = realSpecNames;

type Args = { connector: string };

const meta = {
  title: 'SourceForm/Connector gallery',
  argTypes: { connector: { control: 'select', options: names } },
  args: { connector: 'source-github' },
  decorators: [withProvider],
  loaders: [
    async ({ args }) => {
      return { spec: await realSpecFile((args as Args).connector) };
    },
  ],
  render: (args, { loaded }) => {
    const spec = loaded.spec as { displayName?: string; connectionSpecification: JsonSchema } | undefined;
    if (!spec) return <p>Connector specs not found: place ../shared/connector-specs next to this checkout ({(args as Args).connector}).</p>;
    return (
      <div key={(args as Args).connector}>
        <h2>{spec.displayName}</h2>
        <SourceForm spec={spec.connectionSpecification} onSubmit={(config) => console.info('submitted', config)} />
      </div>
    );
  },
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

async function rendersForm(canvasElement: HTMLElement) {
  if (!names.length) return;
  const canvas = within(canvasElement);
  await expect(await canvas.findByRole('button', { name: 'Connect' })).toBeVisible();
}

/** GitHub: an OAuth/token oneOf, `pattern_descriptor`, groups, string lists. */
export const Gallery: Story = { play: ({ canvasElement }) => rendersForm(canvasElement) };
/** S3: streams (array of objects) with nested format oneOfs and a radio oneOf. */
export const S3: Story = { args: { connector: 'source-s3' }, play: ({ canvasElement }) => rendersForm(canvasElement) };
/** The largest spec: three levels of nested oneOfs inside array items. */
export const GoogleAnalyticsDataApi: Story = { args: { connector: 'source-google-analytics-data-api' }, play: ({ canvasElement }) => rendersForm(canvasElement) };
/** Postgres: root `groups` sections. */
export const Postgres: Story = { args: { connector: 'source-postgres' }, play: ({ canvasElement }) => rendersForm(canvasElement) };
/** MySQL: oneOfs told apart by single-value enums, multiline secrets. */
export const Mysql: Story = { args: { connector: 'source-mysql' }, play: ({ canvasElement }) => rendersForm(canvasElement) };
