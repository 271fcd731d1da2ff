"""The Russian production calendar the program ships: for each year, the dates that differ from the Monday–Friday
week — holidays on weekdays (with the days off moved onto weekdays) and weekends worked. The office calendar
(core.OfficeDay) is pre-filled from it; an administrator edits it in Administration → Production calendar.

The content is data (Russian, as the users' calendar is), not UI text.

2026, by the Labour Code's article 112 (holidays: 1–6 and 8 January — New Year holidays, 7 January — Christmas,
23 February, 8 March, 1 May, 9 May, 12 June, 4 November; a holiday on a weekend moves to the next working day) and
the Government's decree of 24 September 2025 No. 1466 «О переносе выходных дней в 2026 году» (3 January, a Saturday,
moved to Friday 9 January; 4 January, a Sunday, moved to Thursday 31 December). Checked against the decree as
reported on the day it was signed (TASS, 24 September 2025: «3 и 4 января … перенести на пятницу, 9 января, и
четверг, 31 декабря»; days off 31 December 2025 – 11 January, 21–23 February, 7–9 March, 1–3 and 9–11 May,
12–14 June, 4 November) — not against the decree's official text itself. No Saturday is worked in 2026. The
shortened pre-holiday days (30 April, 8 May, 11 June, 3 November: one hour less) are not kept: the office
calendar has whole days only.

2027 is not shipped: when this was written its decree was only a draft.
"""

from __future__ import annotations

import datetime

# year → (date, worked, note); only the dates that differ from Monday–Friday.
OFFICE_DAYS: dict[int, list[tuple[datetime.date, bool, str]]] = {
    2026: [
        (datetime.date(2026, 1, 1), False, "Новогодние каникулы"),
        (datetime.date(2026, 1, 2), False, "Новогодние каникулы"),
        (datetime.date(2026, 1, 5), False, "Новогодние каникулы"),
        (datetime.date(2026, 1, 6), False, "Новогодние каникулы"),
        (datetime.date(2026, 1, 7), False, "Рождество Христово"),
        (datetime.date(2026, 1, 8), False, "Новогодние каникулы"),
        (datetime.date(2026, 1, 9), False, "Выходной, перенесённый с субботы 3 января"),
        (datetime.date(2026, 2, 23), False, "День защитника Отечества"),
        (datetime.date(2026, 3, 9), False, "Выходной за 8 марта (воскресенье)"),
        (datetime.date(2026, 5, 1), False, "Праздник Весны и Труда"),
        (datetime.date(2026, 5, 11), False, "Выходной за 9 мая (суббота)"),
        (datetime.date(2026, 6, 12), False, "День России"),
        (datetime.date(2026, 11, 4), False, "День народного единства"),
        (datetime.date(2026, 12, 31), False, "Выходной, перенесённый с воскресенья 4 января"),
    ],
}
