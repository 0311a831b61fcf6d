import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { ReconnectButton } from '../src/react/oauth/ReconnectButton.tsx';
import { WidgetRoot } from '../src/react/WidgetRoot.tsx';
import { withProvider } from './withProvider.tsx';

const source = { sourceId: 'src-1', name: 'HubSpot', templateId: 'hubspot', createdAt: 1795413600, templateName: 'HubSpot', signIn: true, connections: [] };

/** "Reconnect" on a sign-in source in the manage view: primary when its last sync failed. */
const meta = {
  title: 'ReconnectButton',
  component: ReconnectButton,
  args: { source, failed: false },
  decorators: [(Story) => <WidgetRoot>{Story()}</WidgetRoot>, withProvider],
} satisfies Meta<typeof ReconnectButton>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Healthy: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Reconnect' })).not.toHaveClass('aek-button--primary');
  },
};

export const AfterAFailedSync: Story = {
  args: { failed: true },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Reconnect' });
    await expect(button).toHaveClass('aek-button--primary');
    await expect(button).toHaveAttribute('title', 'If HubSpot stopped syncing because its sign-in expired, reconnect it.');
  },
};
