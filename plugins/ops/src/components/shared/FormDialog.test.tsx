import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { FormDialog } from './FormDialog';

/** A one-field form whose submit the test settles by hand. */
function NameForm(props: { onSubmit: (name: string) => Promise<void> }) {
  const [open, setOpen] = useState(true);
  const [name, setName] = useState('');
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      <FormDialog
        titleId="name-title"
        title="Rename"
        open={open}
        onClose={() => setOpen(false)}
        submitLabel="Save"
        canSubmit={Boolean(name.trim())}
        onSubmit={async () => {
          await props.onSubmit(name);
          setOpen(false);
        }}
        failureMessage="Could not rename"
      >
        <label>
          Name
          <input value={name} onChange={e => setName(e.target.value)} />
        </label>
      </FormDialog>
    </>
  );
}

function deferred() {
  let settle: { resolve: () => void; reject: (error: Error) => void };
  const promise = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, ...settle! };
}

describe('FormDialog', () => {
  it('waits for complete fields, shows progress while sending, and closes on success', async () => {
    const sent = deferred();
    const onSubmit = jest.fn(() => sent.promise);
    const user = userEvent.setup();
    render(<NameForm onSubmit={onSubmit} />);

    const dialog = screen.getByRole('dialog', { name: 'Rename' });
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'x');
    expect(save).toBeEnabled();
    await user.click(save);

    expect(onSubmit).toHaveBeenCalledWith('x');
    expect(within(dialog).getByRole('progressbar')).toBeInTheDocument();
    expect(save).toBeDisabled();
    // Enter while the request runs sends nothing more.
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Name' }),
      '{Enter}',
    );
    expect(onSubmit).toHaveBeenCalledTimes(1);

    sent.resolve();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the dialog open with the reason when sending fails, and forgets it on close', async () => {
    const user = userEvent.setup();
    render(
      <NameForm
        onSubmit={() => Promise.reject(new Error('Name already taken'))}
      />,
    );

    const dialog = screen.getByRole('dialog', { name: 'Rename' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'x');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(
      await within(dialog).findByText('Could not rename: Name already taken'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const reopened = await screen.findByRole('dialog', { name: 'Rename' });
    expect(within(reopened).queryByText(/Could not rename/)).toBeNull();
  });
});
