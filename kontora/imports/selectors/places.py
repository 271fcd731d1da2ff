"""Regions and cities of an import recognised against the settlements directory (IMP-01, step 2).

A file names them as people write them: «Хакасия Респ.», «Московская обл.», «г. Москва»; «г. Абакан», «Абакан».
`Places` answers a row's (region, city, district) with the directory's region and place, or says why not: a
region it does not know, a city it does not know or that lies in another region, namesakes it cannot tell apart.
The regions (some 85) are read once; the places by their names' keys, a batch of rows at a time
(`Places.prefetch`), each name once per run — never a query per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kontora.core.text import search_key
from kontora.directories.selectors.settlements import Place, places_named, regions_active

# The words of a region's type, as search keys: «Хакасия Респ.» and «Республика Хакасия» are the same region.
REGION_KINDS = frozenset({
    "республика", "респ", "область", "обл", "край", "кр", "автономный", "автономная", "авт", "округ", "окр", "ао",
    "аобл", "г", "город", "гор", "федерального", "значения", "рф",
})
# Names people use that the directory's names do not contain, as search keys → the region's code.
REGION_ALIASES = {
    "якутия": "14", "хмао": "86", "янао": "89", "нао": "83", "еао": "79", "чао": "87", "спб": "78", "питер": "78",
    "ленинград": "78", "мо": "50", "подмосковье": "50", "ло": "47", "кбр": "07", "кабардино балкария": "07",
    "кчр": "09", "карачаево черкесия": "09", "чечня": "20", "тува": "17", "башкирия": "02", "татария": "16",
    "удмуртия": "18", "чувашия": "21", "кузбасс": "42", "югра": "86", "алания": "15",
}
# The words of a place's type before or after its name («г. Абакан», «Абакан г», «пос. Ленинский»).
PLACE_KINDS = frozenset({
    "г", "город", "гор", "пгт", "п", "пос", "поселок", "рп", "с", "село", "д", "дер", "деревня", "ст", "станица",
    "ст ца", "х", "хутор", "аул", "кп", "дп", "нп", "мкр", "сп", "рц", "сл", "слобода", "поселение",
})
_KIND_ORDER = {"г": 0}  # among namesakes in one region, a town before villages
_HEAD = re.compile(r"^(?:(?:" + "|".join(sorted(map(re.escape, PLACE_KINDS), key=len, reverse=True)) + r") )+")
_TAIL = re.compile(r"(?: (?:" + "|".join(sorted(map(re.escape, PLACE_KINDS), key=len, reverse=True)) + r"))+$")


@dataclass(frozen=True)
class RegionRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Found:
    """What the directory says of a row's region and city: the records found and the messages for the user."""

    region: RegionRef | None = None
    place: Place | None = None
    region_problem: str = ""  # a warning about the region column
    city_problem: str = ""  # a warning about the city column


def _core(key: str) -> tuple[str, ...]:
    return tuple(word for word in key.split() if word not in REGION_KINDS)


def city_key(text: str) -> tuple[str, str]:
    """(the name's key, the type typed with it): «г. Абакан» → ("абакан", "г"), «Абакан» → ("абакан", "")."""
    key = search_key(text)
    kind = ""
    head = _HEAD.match(key)
    if head and head.end() < len(key):
        kind, key = head.group(0).split()[0], key[head.end():]
    tail = _TAIL.search(key)
    if tail and tail.start() > 0:
        kind, key = kind or tail.group(0).split()[0], key[:tail.start()]
    return key, kind


class Places:
    """The directory's regions and places for one processing run; memoised, so a name is looked up once."""

    def __init__(self) -> None:
        self._regions: dict[str, RegionRef] = {}  # by code
        self._by_core: dict[tuple[str, ...], RegionRef] = {}
        self._cores: list[tuple[frozenset[str], RegionRef]] = []
        for region in regions_active():
            ref = RegionRef(region.pk, region.code, region.name)
            self._regions[region.code] = ref
            for name in (region.name, region.short_name):
                core = _core(search_key(name))
                if core:
                    self._by_core.setdefault(core, ref)
                    self._cores.append((frozenset(core), ref))
        self._region_memo: dict[str, RegionRef | None] = {}
        self._places: dict[str, list[Place]] = {}
        self._by_id = {ref.id: ref for ref in self._regions.values()}

    # --- regions ---

    def region(self, text: str) -> RegionRef | None:
        """The region a typed name means, or None: by its name without its type word, by a part of a longer
        name that only one region has («Кемеровская обл.» → «Кемеровская область - Кузбасс»), by a common
        other name («Якутия»), or by its code («19»)."""
        if text not in self._region_memo:
            self._region_memo[text] = self._region_of(text)
        return self._region_memo[text]

    def _region_of(self, text: str) -> RegionRef | None:
        key = search_key(text)
        if not key:
            return None
        if key.isdigit():
            return self._regions.get(key.zfill(2))
        if key in REGION_ALIASES:
            return self._regions.get(REGION_ALIASES[key])
        core = _core(key)
        if not core:
            return None
        if core in self._by_core:
            return self._by_core[core]
        words = frozenset(core)
        matches = {ref for names, ref in self._cores if words <= names}
        return matches.pop() if len(matches) == 1 else None

    # --- places ---

    def prefetch(self, cities: Iterable[str]) -> None:
        """Reads the places of these typed city names that were not read yet, in one query."""
        keys = {city_key(text)[0] for text in cities if text}
        missing = [key for key in keys if key and key not in self._places]
        if missing:
            self._places.update(places_named(missing))

    def find(self, region_text: str, city_text: str, district: str = "") -> Found:
        """The row's region and place. A city is looked for in its region when the region is known; a city
        without a known region is taken when its name is one place's (or one town's) in the directory, and
        gives the region."""
        region = self.region(region_text) if region_text else None
        region_problem = ""
        if region_text and region is None:
            region_problem = _("The region “%(region)s” is not in the directory of regions.") % {"region": region_text}
        if not city_text:
            return Found(region=region, region_problem=region_problem)
        key, kind = city_key(city_text)
        if key not in self._places:
            self.prefetch([city_text])
        everywhere = self._places.get(key, [])
        if not everywhere:
            return Found(region=region, region_problem=region_problem, city_problem=_(
                "The city “%(city)s” is not in the directory of populated places: the client is imported "
                "without a city.") % {"city": city_text})
        candidates = [place for place in everywhere if region is None or place.region_id == region.id]
        if not candidates:
            return Found(region=region, region_problem=region_problem, city_problem=_(
                "There is no “%(city)s” in the region “%(region)s” in the directory of populated places: the "
                "client is imported without a city.") % {"city": city_text, "region": region.name if region else ""})
        place = _one(candidates, kind, district)
        if place is None:
            return Found(region=region, region_problem=region_problem, city_problem=_(
                "There are several places named “%(city)s” in the directory: give the region (or the district) "
                "to tell which one, or choose the city in the grid.") % {"city": city_text})
        if region is None:
            region = self._by_id.get(place.region_id)
            if region_problem and region is not None:
                region_problem = _("The region “%(region)s” is not in the directory of regions: the city's "
                                   "region “%(found)s” is taken.") % {"region": region_text, "found": region.name}
        return Found(region=region, place=place, region_problem=region_problem)


def _one(candidates: list[Place], kind: str, district: str) -> Place | None:
    """The one place meant among namesakes: the only one; else narrowed by the type typed with the name, by the
    district, and to the one town among villages."""
    if len(candidates) == 1:
        return candidates[0]
    narrowed = candidates
    if kind:
        narrowed = [place for place in narrowed if search_key(place.kind) == kind] or narrowed
    if len(narrowed) > 1 and district:
        words = set(_core(search_key(district))) - {"район", "р", "рн", "м", "муниципальный"}
        narrowed = [place for place in narrowed if words and words <= set(search_key(place.area).split())] \
            or narrowed
    if len(narrowed) > 1:
        towns = [place for place in narrowed if _KIND_ORDER.get(search_key(place.kind)) == 0]
        narrowed = towns if len(towns) == 1 else narrowed
    return narrowed[0] if len(narrowed) == 1 else None
