"""The certificate of attendance as a PDF (reportlab): one A4 page naming the participant,
their organisation, the activity, its date and place, and the organiser. Made when asked,
never stored; issuing it is audited (views.certificate)."""

from __future__ import annotations

from io import BytesIO

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from inbeeld.network.models import Participant


def certificate_pdf(participant: Participant) -> bytes:
    activity = participant.activity
    day = formats.date_format(timezone.localtime(activity.starts_at).date(), "j F Y")
    width, height = A4
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Certificate of attendance"))
    canvas.setAuthor(activity.organiser.name)
    canvas.setSubject(activity.title)
    canvas.setFont("Helvetica-Bold", 26)
    canvas.drawCentredString(width / 2, height - 5 * cm, _("Certificate of attendance"))
    canvas.setFont("Helvetica", 13)
    lines = [
        (_("This is to certify that"), "Helvetica", 13),
        (str(participant.name), "Helvetica-Bold", 20),
        (participant.organisation.name, "Helvetica", 13),
        (_("attended"), "Helvetica", 13),
        (activity.title, "Helvetica-Bold", 16),
        (f"{activity.get_kind_display()} – {day}", "Helvetica", 13),
        (f"{activity.place or activity.municipality.name}", "Helvetica", 13),
    ]
    y = height - 8 * cm
    for text, font, size in lines:
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, text[:90])
        y -= size * 0.06 * cm + 0.9 * cm
    topics = ", ".join(activity.topic_labels())
    if topics:
        canvas.setFont("Helvetica", 11)
        canvas.drawCentredString(
            width / 2, y - 0.5 * cm, (_("Topics: %(topics)s") % {"topics": topics})[:110]
        )
    canvas.setFont("Helvetica", 11)
    canvas.drawString(
        3 * cm, 5 * cm, _("Organised by %(organiser)s") % {"organiser": activity.organiser.name}
    )
    canvas.drawString(3 * cm, 4.3 * cm, activity.region.name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
