"""«Отправить по e-mail» (INV-06): the invoice's «Счёт на оплату» as a PDF attached to a transactional letter from
the acting user's own mailbox, queued in the outbox (sent at once by a worker) with an audit row on the client's card.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import policies
from kontora.billing.models import Invoice
from kontora.billing.selectors.printing import invoice_pdf, invoice_pdf_name
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.messaging.models import Letter
from kontora.messaging.selectors.recipients import mailbox_problem
from kontora.messaging.services.marketing import Attachment
from kontora.messaging.services.outbox import letter_queue


def invoice_send(
    *, acting_user: User, invoice_id: int, recipient: str, subject: str, text: str, stamped: bool = False,
) -> Letter:
    """Queues the letter with the invoice's PDF to `recipient`; refused for a cancelled invoice, for a user who may
    not open its client, and (by the outbox) without a mailbox of his own or with a wrong address."""
    invoice = (policies.visible_invoices(acting_user).select_related("client", "legal_entity", "bank_account",
                                                                     "attention")
               .filter(pk=invoice_id).first())
    if invoice is None:
        raise NotAllowed(_("You cannot open this invoice's client."))
    if invoice.status == Invoice.Status.CANCELLED:
        raise Refused(_("A cancelled invoice is not sent."))
    problem = mailbox_problem(acting_user)
    if problem:  # told before a second is spent drawing a PDF that could not leave
        raise Refused(problem)
    # Drawn before the transaction: a second of WeasyPrint need not hold the base's write lock.
    pdf = invoice_pdf(invoice, stamped=stamped)
    with transaction.atomic():
        letter = letter_queue(acting_user=acting_user, recipient=recipient, subject=subject, text=text,
                              client=invoice.client, purpose=Letter.Purpose.TRANSACTIONAL,
                              attachments=[Attachment(name=invoice_pdf_name(invoice), content_type="application/pdf",
                                                      data=pdf)])
        audit_record(actor=acting_user, event="billing.invoice.send", target=invoice, client=invoice.client,
                     summary=_("Invoice %(number)s sent by e-mail to %(address)s") % {
                         "number": invoice.shown_number, "address": letter.recipient},
                     extra={"letter": letter.pk, "stamped": stamped})
    return letter
