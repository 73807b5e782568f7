import { registerMswTestHooks } from '@backstage/test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { IMAGE, paymentsHistory } from '../../__testUtils__/deploymentFixtures';
import { BACKEND, PAYMENTS_API_REF } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { RevisionPicker } from './RevisionPicker';

describe('RevisionPicker', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function renderPicker(formData: number | undefined, service?: string) {
    const onChange = jest.fn();
    const props = {
      formData,
      onChange,
      schema: { title: 'Revision to roll back to', type: 'integer' },
      idSchema: { $id: 'root_toRevision' },
      formContext: { formData: { service } },
      uiSchema: {},
      rawErrors: [],
    } as unknown as FieldExtensionComponentProps<number | undefined>;
    renderWithOpsApis(<RevisionPicker {...props} />);
    return onChange;
  }

  it("lists the revisions of the form's service from the history API", async () => {
    let asked: string | null = null;
    server.use(
      http.get(`${BACKEND}/deployments/history`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json(paymentsHistory());
      }),
    );
    const onChange = renderPicker(2, PAYMENTS_API_REF);
    const select = await screen.findByRole('combobox', {
      name: 'Revision to roll back to',
    });
    await waitFor(() =>
      expect(
        screen.getByRole('option', {
          name: `production/payments/payments-api revision 3: ${IMAGE}:1.4.2 (release 1.4.2), current`,
        }),
      ).toBeInTheDocument(),
    );
    expect(select).toHaveValue('2');
    expect(asked).toBe(PAYMENTS_API_REF);

    await userEvent.selectOptions(select, '');
    expect(onChange).toHaveBeenLastCalledWith(undefined);
    await userEvent.selectOptions(select, '3');
    expect(onChange).toHaveBeenLastCalledWith(3);
  });

  it('asks for the service first', async () => {
    renderPicker(undefined);
    expect(
      await screen.findByText('Choose the service first'),
    ).toBeInTheDocument();
  });
});
