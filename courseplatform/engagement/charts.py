"""The participation chart: enrolment and completion rates of participants and other learners, per mechanic
(the project's chart helpers: matplotlib's object API, PNG)."""

from django.utils.translation import gettext as _

from courseplatform.experiments.charts import COLORS, _figure, _png


def participation_chart(rows) -> bytes:
    figure, axes, families = _figure(8, 6, rows=2)
    labels = [r.label for r in rows]
    width = 0.38
    for ax, (title, rate, interval) in zip(axes, [
            (_("Enrolment rate"), "enrol_rate", "enrol_interval"),
            (_("Completion rate (of the enrolled)"), "completion_rate", "completion_interval")], strict=True):
        for offset, (name, group, color) in enumerate([(_("Participants"), "participants", COLORS[0]),
                                                       (_("Other learners"), "others", COLORS[1])]):
            groups = [getattr(r, group) for r in rows]
            ys = [100 * getattr(g, rate) for g in groups]
            low = [max(0.0, y - 100 * getattr(g, interval)[0]) for y, g in zip(ys, groups, strict=True)]
            high = [max(0.0, 100 * getattr(g, interval)[1] - y) for y, g in zip(ys, groups, strict=True)]
            ax.bar([i + (offset - 0.5) * width for i in range(len(rows))], ys, width, yerr=[low, high], capsize=4,
                   color=color, label=name)
        ax.set_xticks(range(len(rows)), labels, fontfamily=families)
        ax.set_ylim(0, 105)
        ax.set_title(title, fontfamily=families)
        ax.set_ylabel(_("rate (%), with 95 % confidence interval"))
        ax.legend(frameon=False, prop={"family": families})
    return _png(figure)
