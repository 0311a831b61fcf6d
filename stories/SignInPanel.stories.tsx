import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SignInPanel } from '../src/react/oauth/SignInPanel.tsx';
import { WidgetRoot } from '../src/react/WidgetRoot.tsx';
import { withProvider } from './withProvider.tsx';

/** "Sign in with HubSpot" where the OAuth option's token fields would be, in each of its states. */
const meta = {
  title: 'SignInPanel',
  component: SignInPanel,
  args: { name: 'HubSpot', state: { status: 'idle' }, onSignIn: fn() },
  decorators: [(Story) => <WidgetRoot>{Story()}</WidgetRoot>, withProvider],
} satisfies Meta<typeof SignInPanel>;
export default meta;
type Story = StoryObj<typeof meta>;

export const NotSignedIn: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Sign in with HubSpot' }));
    await expect(args.onSignIn).toHaveBeenCalledOnce();
  },
};

export const Pending: Story = {
  args: { state: { status: 'pending' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Waiting for HubSpot: finish signing in in the window that opened.');
  },
};

export const SignedIn: Story = {
  args: { state: { status: 'signed_in', grantId: '00000000-0000-4000-8000-000000000001' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('status')).toHaveTextContent('Signed in with HubSpot');
    await expect(canvas.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  },
};

export const Cancelled: Story = {
  args: { state: { status: 'failed', reason: 'closed' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Sign-in was cancelled. Sign in again to continue.');
  },
};

export const PopupBlocked: Story = {
  args: { state: { status: 'failed', reason: 'popup_blocked' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Your browser blocked the sign-in window.');
  },
};

export const Denied: Story = {
  args: { state: { status: 'failed', reason: 'denied', detail: 'The user denied access to the app.' } },
  play: async ({ canvasElement }) => {
    const alert = within(canvasElement).getByRole('alert');
    await expect(alert).toHaveTextContent('HubSpot did not allow access.');
    await expect(alert).toHaveTextContent('The user denied access to the app.');
  },
};
