"""The RRULE subset RCP schedules use: parsing, validation and bounded expansion.

An RCP meets weekly or monthly ("every Tuesday", "every other Thursday",
"the 1st and 3rd Tuesday of the month", "the last Thursday"), so the rules
accepted are RFC 5545 RRULEs with FREQ=WEEKLY or MONTHLY and the parts
INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST, COUNT and UNTIL.

Expansion is our own and always bounded by the window it is asked for:
python-dateutil iterates up to the year 9999 looking for the next date of a
rule that never matches (``FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30`` takes
seconds), and is about ten times slower on the common rules. The semantics are
dateutil's, which the tests check on generated rules:

- dates before the first date are never produced (the first date is the
  lower bound, and the phase of INTERVAL);
- without BYDAY/BYMONTHDAY, the weekday (WEEKLY) or day of month (MONTHLY)
  of the first date is used; a month without that day is skipped;
- BYSETPOS picks from each month's whole set of matching days;
- COUNT counts the dates produced from the first date.

One deliberate simplification: UNTIL is read as a date, inclusive (the last
day a meeting may take place), whatever time part it carries.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SUPPORTED_PARTS = (
    "FREQ",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "COUNT",
    "UNTIL",
)
MAX_LENGTH = 300
MAX_COUNT = 1000
# Longest window one call may expand: a little over three years.
MAX_SPAN_DAYS = 1200

_BYDAY_ITEM = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$", re.ASCII)
_INT = re.compile(r"^[+-]?\d{1,4}$", re.ASCII)
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$", re.ASCII)


class RuleError(ValueError):
    """A rule we refuse, with a message an editor can act on (in French)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A parsed recurrence rule. Weekdays are 0 (Monday) to 6 (Sunday)."""

    freq: str
    interval: int = 1
    byday: tuple[tuple[int, int], ...] = ()  # (ordinal or 0, weekday)
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    wkst: int = 0
    count: int | None = None
    until: date | None = None

    def __str__(self) -> str:
        """The canonical RRULE text (parts in a fixed order)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append(
                "BYDAY=" + ",".join(f"{n if n else ''}{WEEKDAY_CODES[wd]}" for n, wd in self.byday)
            )
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in self.bymonthday))
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(str(m) for m in self.bymonth))
        if self.bysetpos:
            parts.append("BYSETPOS=" + ",".join(str(p) for p in self.bysetpos))
        if self.wkst:
            parts.append(f"WKST={WEEKDAY_CODES[self.wkst]}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The weekdays named by BYDAY, sorted, without ordinals."""
        return tuple(sorted({wd for _n, wd in self.byday}))


def _ints(key: str, value: str, low: int, high: int, *, allow_negative: bool) -> tuple[int, ...]:
    items = value.split(",")
    result = []
    for item in items:
        if not _INT.match(item):
            raise RuleError(f"{key} : « {item} » n’est pas un nombre entier.")
        number = int(item)
        if (
            number == 0
            or abs(number) < low
            or abs(number) > high
            or (number < 0 and not allow_negative)
        ):
            bounds = f"entre {low} et {high}" + (
                f" (ou entre -{high} et -{low} en partant de la fin)" if allow_negative else ""
            )
            raise RuleError(f"{key} : {number} n’est pas accepté, la valeur doit être {bounds}.")
        if number not in result:
            result.append(number)
    return tuple(result)


def parse(text: str) -> Rule:
    """Parse and validate RRULE text ("FREQ=WEEKLY;BYDAY=TU"); raise RuleError.

    Rules are few and immutable: a feed of 500 RCPs parses some 40 texts once."""
    if isinstance(text, str) and len(text) <= MAX_LENGTH:
        return _parse_once(text)
    return _parse(text)


@lru_cache(maxsize=1024)
def _parse_once(text: str) -> Rule:
    return _parse(text)


def _parse(text: str) -> Rule:
    if not isinstance(text, str) or not text.strip():
        raise RuleError("Saisissez une règle de récurrence (par exemple FREQ=WEEKLY;BYDAY=TU).")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise RuleError(f"La règle dépasse {MAX_LENGTH} caractères.")
    if "\x00" in text or "\n" in text or "\r" in text:
        raise RuleError("La règle contient des caractères invalides.")
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for raw in text.upper().replace(" ", "").strip(";").split(";"):
        key, sep, value = raw.partition("=")
        if not sep or not key or not value:
            raise RuleError(f"« {raw} » n’est pas de la forme NOM=VALEUR (par exemple BYDAY=TU).")
        if key not in SUPPORTED_PARTS:
            raise RuleError(
                f"« {key} » n’est pas pris en charge : utilisez FREQ, INTERVAL, BYDAY, "
                "BYMONTHDAY, BYMONTH, BYSETPOS, WKST, COUNT ou UNTIL."
            )
        if key in parts:
            raise RuleError(f"« {key} » figure deux fois dans la règle.")
        parts[key] = value

    freq = parts.get("FREQ")
    if freq is None:
        raise RuleError("La règle doit commencer par FREQ=WEEKLY ou FREQ=MONTHLY.")
    if freq not in ("WEEKLY", "MONTHLY"):
        raise RuleError(
            f"La fréquence {freq} n’est pas acceptée pour une RCP : utilisez FREQ=WEEKLY "
            "(semaines) ou FREQ=MONTHLY (mois)."
        )
    weekly = freq == "WEEKLY"

    interval = 1
    if "INTERVAL" in parts:
        if "," in parts["INTERVAL"]:
            raise RuleError("INTERVAL n’accepte qu’un seul nombre.")
        high = 52 if weekly else 12
        (interval,) = _ints("INTERVAL", parts["INTERVAL"], 1, high, allow_negative=False)

    byday: list[tuple[int, int]] = []
    if "BYDAY" in parts:
        for item in parts["BYDAY"].split(","):
            match = _BYDAY_ITEM.match(item)
            if not match:
                raise RuleError(
                    f"BYDAY : « {item} » n’est pas un jour valide (MO, TU, WE, TH, FR, SA, SU, "
                    "éventuellement précédé d’un rang comme 1TU ou -1TH)."
                )
            ordinal = int(match.group(1)) if match.group(1) else 0
            if ordinal and weekly:
                raise RuleError(
                    "BYDAY : un rang (comme 1TU ou -1TH) n’a de sens qu’avec FREQ=MONTHLY."
                )
            if ordinal and not 1 <= abs(ordinal) <= 5:
                raise RuleError(
                    f"BYDAY : le rang {ordinal} n’existe pas ; un mois compte au plus cinq fois "
                    "le même jour (1 à 5, ou -1 pour le dernier)."
                )
            entry = (ordinal, WEEKDAY_CODES.index(match.group(2)))
            if entry not in byday:
                byday.append(entry)
        ranked = {bool(n) for n, _wd in byday}
        if len(ranked) > 1:
            raise RuleError(
                "BYDAY : ne mélangez pas des jours avec rang (1TU) et sans rang (TU) ; "
                "écrivez par exemple BYDAY=1TU,3TU."
            )

    bymonthday: tuple[int, ...] = ()
    if "BYMONTHDAY" in parts:
        if weekly:
            raise RuleError("BYMONTHDAY ne s’emploie qu’avec FREQ=MONTHLY.")
        bymonthday = _ints("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, allow_negative=True)

    bymonth: tuple[int, ...] = ()
    if "BYMONTH" in parts:
        bymonth = tuple(sorted(_ints("BYMONTH", parts["BYMONTH"], 1, 12, allow_negative=False)))

    bysetpos: tuple[int, ...] = ()
    if "BYSETPOS" in parts:
        if weekly:
            raise RuleError("BYSETPOS ne s’emploie qu’avec FREQ=MONTHLY.")
        if not byday and not bymonthday:
            raise RuleError(
                "BYSETPOS demande BYDAY ou BYMONTHDAY (par exemple BYDAY=TU;BYSETPOS=-1)."
            )
        bysetpos = _ints("BYSETPOS", parts["BYSETPOS"], 1, 31, allow_negative=True)

    wkst = 0
    if "WKST" in parts:
        if parts["WKST"] not in WEEKDAY_CODES:
            raise RuleError(f"WKST : « {parts['WKST']} » n’est pas un jour (MO à SU).")
        wkst = WEEKDAY_CODES.index(parts["WKST"])

    count = None
    if "COUNT" in parts:
        if "," in parts["COUNT"]:
            raise RuleError("COUNT n’accepte qu’un seul nombre.")
        (count,) = _ints("COUNT", parts["COUNT"], 1, MAX_COUNT, allow_negative=False)

    until = None
    if "UNTIL" in parts:
        if count is not None:
            raise RuleError("COUNT et UNTIL ne peuvent pas être employés ensemble.")
        match = _UNTIL.match(parts["UNTIL"])
        if not match:
            raise RuleError(
                "UNTIL : écrivez la date sous la forme AAAAMMJJ (par exemple 20271231)."
            )
        try:
            until = date(*(int(g) for g in match.groups()))
        except ValueError as exc:
            raise RuleError(f"UNTIL : la date {parts['UNTIL'][:8]} n’existe pas.") from exc

    return Rule(
        freq=freq,
        interval=interval,
        byday=tuple(byday),
        bymonthday=bymonthday,
        bymonth=bymonth,
        bysetpos=bysetpos,
        wkst=wkst,
        count=count,
        until=until,
    )


def _month_days(rule: Rule, year: int, month: int, dtstart: date) -> list[date]:
    """The matching days of one month, before the first-date bound."""
    ndays = calendar.monthrange(year, month)[1]
    if rule.byday or rule.bymonthday:
        candidates = None
        if rule.byday:
            first_weekday = date(year, month, 1).weekday()
            days = set()
            for ordinal, weekday in rule.byday:
                first = 1 + (weekday - first_weekday) % 7
                matching = list(range(first, ndays + 1, 7))
                if ordinal == 0:
                    days.update(matching)
                elif ordinal > 0 and ordinal <= len(matching):
                    days.add(matching[ordinal - 1])
                elif ordinal < 0 and -ordinal <= len(matching):
                    days.add(matching[ordinal])
            candidates = days
        if rule.bymonthday:
            days = set()
            for monthday in rule.bymonthday:
                if 0 < monthday <= ndays:
                    days.add(monthday)
                elif monthday < 0 and -monthday <= ndays:
                    days.add(ndays + monthday + 1)
            candidates = days if candidates is None else candidates & days
        ordered = sorted(candidates)
    else:
        ordered = [dtstart.day] if dtstart.day <= ndays else []
    if rule.bysetpos:
        size = len(ordered)
        picked = set()
        for pos in rule.bysetpos:
            if 0 < pos <= size:
                picked.add(ordered[pos - 1])
            elif pos < 0 and -pos <= size:
                picked.add(ordered[pos])
        ordered = sorted(picked)
    return [date(year, month, d) for d in ordered]


def dates_between(rule: Rule, dtstart: date, first: date, last: date) -> list[date]:
    """The dates of the rule from `first` to `last` included, in order.

    Work is proportional to the window (and, for a COUNT rule, to the time
    since the first date), never to the time until the next match.
    """
    if (last - first).days > MAX_SPAN_DAYS:
        raise ValueError(f"window of {(last - first).days} days exceeds {MAX_SPAN_DAYS}")
    if rule.until is not None and rule.until < last:
        last = rule.until
    if last < first or last < dtstart:
        return []
    counting = rule.count is not None
    produced = 0
    result: list[date] = []

    if rule.freq == "WEEKLY":
        weekdays = set(rule.weekdays) or {dtstart.weekday()}
        week0 = dtstart - timedelta(days=(dtstart.weekday() - rule.wkst) % 7)
        # Days into the week (which starts on WKST) of each weekday, in order.
        offsets = [timedelta(days=d) for d in sorted((wd - rule.wkst) % 7 for wd in weekdays)]
        period = 7 * rule.interval
        if not counting:
            # Day numbers rather than dates: a feed expands 500 rules at once.
            low, high = max(first, dtstart).toordinal(), last.toordinal()
            steps = sorted((wd - rule.wkst) % 7 for wd in weekdays)
            base = week0.toordinal()
            base += max(0, (low - base) // period) * period
            found = []
            while base <= high:
                found += [base + step for step in steps if low <= base + step <= high]
                base += period
            days = [date.fromordinal(n) for n in found]
            if rule.bymonth:
                days = [day for day in days if day.month in rule.bymonth]
            return days
        k = 0
        while True:
            start = week0 + timedelta(days=k * period)
            if start > last:
                break
            for offset in offsets:
                day = start + offset
                if day < dtstart:
                    continue
                if rule.bymonth and day.month not in rule.bymonth:
                    continue
                if day > last:
                    return result
                if counting:
                    produced += 1
                    if produced > rule.count:
                        return result
                if day >= first:
                    result.append(day)
            k += 1
        return result

    month0 = dtstart.year * 12 + dtstart.month - 1
    k = 0 if counting else max(0, (first.year * 12 + first.month - 1 - month0) // rule.interval)
    while True:
        index = month0 + k * rule.interval
        year, month = divmod(index, 12)
        month += 1
        if year > 9999 or date(year, month, 1) > last:
            break
        k += 1
        if rule.bymonth and month not in rule.bymonth:
            continue
        for day in _month_days(rule, year, month, dtstart):
            if day < dtstart:
                continue
            if day > last:
                return result
            if counting:
                produced += 1
                if produced > rule.count:
                    return result
            if day >= first:
                result.append(day)
    return result


def is_occurrence(rule: Rule, dtstart: date, day: date) -> bool:
    """Whether the rule produces this date."""
    return bool(dates_between(rule, dtstart, day, day))


def first_after(rule: Rule, dtstart: date, day: date, horizon_days: int = 800) -> date | None:
    """The first date of the rule on or after `day`, looking `horizon_days` ahead."""
    found = dates_between(rule, dtstart, day, day + timedelta(days=horizon_days))
    return found[0] if found else None


def count_before(rule: Rule, dtstart: date, day: date) -> int:
    """How many dates the rule gives before `day` (for a COUNT rule written
    from a later start), window by window."""
    total = 0
    first = dtstart
    while first < day:
        last = min(day - timedelta(days=1), first + timedelta(days=MAX_SPAN_DAYS))
        total += len(dates_between(rule, dtstart, first, last))
        first = last + timedelta(days=1)
    return total
