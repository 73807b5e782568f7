import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { ApiHolder } from '@backstage/core-plugin-api';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import {
  expectedConfirmation,
  TypedConfirmation,
  validateTypedConfirmation,
} from './TypedConfirmation';

const apiHolder: ApiHolder = { get: () => undefined };

async function errorsOf(
  typed: string | undefined,
  formData: Record<string, unknown>,
  matches: string,
): Promise<string[]> {
  const validation = createFieldValidation();
  await validateTypedConfirmation(typed, validation, {
    apiHolder,
    formData: formData as any,
    schema: {},
    uiSchema: { 'ui:options': { matches } } as any,
  });
  return validation.__errors ?? [];
}

describe('expectedConfirmation', () => {
  it('is the value of the named field, or the name of an entity reference', () => {
    expect(expectedConfirmation({ target: 'payments-db' }, 'target')).toBe(
      'payments-db',
    );
    expect(
      expectedConfirmation(
        { service: 'component:default/payments-api' },
        'service',
      ),
    ).toBe('payments-api');
    expect(expectedConfirmation({}, 'target')).toBeUndefined();
    expect(expectedConfirmation({ target: 'x' }, undefined)).toBeUndefined();
  });
});

describe('validateTypedConfirmation', () => {
  const form = { target: 'payments-db' };

  it('accepts the exact name', async () => {
    expect(await errorsOf('payments-db', form, 'target')).toEqual([]);
  });

  it('refuses anything else, saying what to type', async () => {
    expect(await errorsOf('payments', form, 'target')).toEqual([
      'Type payments-db exactly to confirm; you typed "payments"',
    ]);
    expect(await errorsOf(undefined, form, 'target')).toEqual([
      'Type payments-db exactly to confirm; you typed ""',
    ]);
  });

  it('refuses while there is nothing to confirm', async () => {
    expect(await errorsOf('payments-db', {}, 'target')).toEqual([
      'Choose what to change first: there is no name to confirm yet',
    ]);
  });
});

describe('TypedConfirmation', () => {
  function Field() {
    const [value, setValue] = useState<string | undefined>();
    return (
      <>
        <TypedConfirmation
          {...({} as any)}
          schema={{ title: 'Confirm' }}
          uiSchema={{ 'ui:options': { matches: 'target' } }}
          formContext={{ formData: { target: 'payments-db' } }}
          formData={value}
          onChange={setValue}
          required
        />
        <output>{value ?? 'empty'}</output>
      </>
    );
  }

  it('names what to type, and passes on what is typed', async () => {
    render(<Field />);
    const box = screen.getByRole('textbox', {
      name: /Type payments-db to confirm/,
    });
    expect(
      screen.getByText(
        'This is not a dry run: it changes a production system.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(box, 'payments-db');
    expect(screen.getByRole('status')).toHaveTextContent('payments-db');
  });
});
