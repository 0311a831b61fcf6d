import type { ReactNode } from 'react';
import 'airbyte-embed-kit/styles.css';

// No favicon request (a 404 would count as a console error in the test).
export const metadata = { title: 'Host: Next.js 16', icons: { icon: 'data:,' } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
