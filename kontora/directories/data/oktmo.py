"""Where an OKTMO code lies: its first digits name the federal subject (OK 033-2013), in an order of their own —
«01» is Алтайский край (region 22), «45» Москва (77), «92» Татарстан (16).

Derived from the shipped places (`settlements.csv.gz`: each place's region and OKTMO code; a test checks every
one of them still agrees). Three autonomous okrugs share the first two digits with the oblast around them and are
told apart by the third: «118» Ненецкий (83) within «11» Архангельская (29), «718» Ханты-Мансийский (86) and «719»
Ямало-Ненецкий (89) within «71» Тюменская (72). Codes of subjects the directory does not list (Байконур, «55»)
name no region.
"""

from __future__ import annotations

# The first three digits that name a region of their own, before the first two.
BY_THREE = {"118": "83", "718": "86", "719": "89"}
BY_TWO = {
    "01": "22", "03": "23", "04": "24", "05": "25", "07": "26", "08": "27", "10": "28", "11": "29", "12": "30",
    "14": "31", "15": "32", "17": "33", "18": "34", "19": "35", "20": "36", "22": "52", "24": "37", "25": "38",
    "26": "06", "27": "39", "28": "69", "29": "40", "30": "41", "32": "42", "33": "43", "34": "44", "35": "91",
    "36": "63", "37": "45", "38": "46", "40": "78", "41": "47", "42": "48", "44": "49", "45": "77", "46": "50",
    "47": "51", "49": "53", "50": "54", "52": "55", "53": "56", "54": "57", "56": "58", "57": "59", "58": "60",
    "60": "61", "61": "62", "63": "64", "64": "65", "65": "66", "66": "67", "67": "92", "68": "68", "69": "70",
    "70": "71", "71": "72", "73": "73", "75": "74", "76": "75", "77": "87", "78": "76", "79": "01", "80": "02",
    "81": "03", "82": "05", "83": "07", "84": "04", "85": "08", "86": "10", "87": "11", "88": "12", "89": "13",
    "90": "15", "91": "09", "92": "16", "93": "17", "94": "18", "95": "19", "96": "20", "97": "21", "98": "14",
    "99": "79",
}


def region_code(oktmo: str) -> str | None:
    """The code of the region (regions.csv) an OKTMO code lies in, or None."""
    return BY_THREE.get(oktmo[:3]) or BY_TWO.get(oktmo[:2])
