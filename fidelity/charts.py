"""Server-rendered SVG charts for the printable report and the PDF (WeasyPrint runs no JavaScript)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def horizontal_bars_svg(rows, *, title, width=520, bar_height=22, gap=10, label_width=150):
    """rows: [(label, value, maximum)] -> bars scaled to each row's maximum, with "value / max"."""
    plot = width - label_width - 70
    height = len(rows) * (bar_height + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="fidelity-chart"><title>{escape(title)}</title>'
    ]
    for n, (label, value, maximum) in enumerate(rows):
        y = 5 + n * (bar_height + gap)
        share = 0 if not maximum else max(0.0, min(1.0, (value or 0) / maximum))
        parts.append(
            f'<text x="0" y="{y + bar_height * 0.7:.1f}" font-size="12" fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_height}" fill="#e9ecef"/>'
            f'<rect x="{label_width}" y="{y}" width="{plot * share:.1f}" height="{bar_height}" fill="#0d6efd"/>'
            f'<text x="{label_width + plot + 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'fill="#212529">{escape(value)} / {escape(maximum)}</text>'
        )
    parts.append("</svg>")
    # Reviewed (bandit B308/B703): every text in the SVG is escape()d, everything else is a number.
    return mark_safe("".join(parts))  # nosec B703, B308


def totals_history_svg(points, *, levels=(), maximum=125, minimum=25, width=520, height=220):
    """points: [(label, total)] oldest first -> vertical bars with the level cut-offs as dashed lines."""
    left, right, top, bottom = 36, 10, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    span = maximum - minimum or 1

    def y_of(value):
        return top + plot_h * (1 - (value - minimum) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="fidelity-chart"><title>Fidelity totals over time</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#6c757d"/>',
    ]
    for tick in (minimum, 50, 75, 100, maximum):
        parts.append(
            f'<text x="{left - 4}" y="{y_of(tick) + 4:.1f}" font-size="10" text-anchor="end" fill="#6c757d">'
            f"{tick}</text>"
        )
    for level in levels:
        if minimum < level.min_total <= maximum:
            y = y_of(level.min_total)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#adb5bd" '
                f'stroke-dasharray="4 3"/><text x="{left + plot_w - 2}" y="{y - 3:.1f}" font-size="9" '
                f'text-anchor="end" fill="#6c757d">{escape(level.name)} ≥ {level.min_total}</text>'
            )
    slot = plot_w / max(len(points), 1)
    bar = min(48, slot * 0.6)
    for n, (label, total) in enumerate(points):
        x = left + slot * n + (slot - bar) / 2
        y = y_of(total)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{top + plot_h - y:.1f}" fill="#0d6efd"/>'
            f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#212529">{total}</text>'
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle" '
            f'fill="#495057">{escape(label)}</text>'
        )
    parts.append("</svg>")
    # Reviewed (bandit B308/B703): every text in the SVG is escape()d, everything else is a number.
    return mark_safe("".join(parts))  # nosec B703, B308
