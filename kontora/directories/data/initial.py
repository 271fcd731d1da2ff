"""The "initial base": the content of the directories a new base comes with, as the manual's distribution ships them.

The content is data (Russian, as the users' reference books are), not UI text; `services/initial.py` loads it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# Linear directories: model name → item names in the order the pickers show them.
NAMES: dict[str, list[str]] = {
    "EventType": [
        "Входящий звонок",
        "Исходящий звонок",
        "Встреча",
        "Письмо",
        "Электронное письмо",
        "Отправлено коммерческое предложение",
        "Презентация",
        "Переговоры",
        "Подписан договор",
        "Выставлен счёт",
        "Оплата",
        "Отгрузка",
        "Претензия/жалоба",
        "Прочее",
    ],
    "CompanySize": [
        "Микропредприятие",
        "Малое предприятие",
        "Среднее предприятие",
        "Крупное предприятие",
    ],
    "InformationSource": [
        "Выставка",
        "Рекомендация",
        "Интернет",
        "Реклама",
        "Холодный звонок",
        "Рассылка",
        "Справочник",
        "Входящее обращение",
    ],
    "Priority": [
        "Высокий",
        "Средний",
        "Низкий",
    ],
    "ActivityType": [
        "Производство",
        "Оптовая торговля",
        "Розничная торговля",
        "Услуги",
        "Строительство",
        "Транспорт",
        "Сельское хозяйство",
        "Финансы и страхование",
        "Информационные технологии и связь",
        "Образование",
        "Здравоохранение",
        "Госучреждение",
    ],
    "ClientStatus": [
        "Наш постоянный клиент",
        "Потенциальный клиент",
        "Отказался",
        "Конкурент",
        "Партнёр",
        "Поставщик",
        "Посредник",
    ],
    # The sales ladder of "Оперативная разработка": from a competitor's client to a regular one.
    "LadderStage": [
        "Клиент конкурента",
        "Знает о нас",
        "Проявляет интерес",
        "Готов к покупке",
        "Первая покупка",
        "Повторная покупка",
        "Постоянный клиент",
    ],
    "PenetrationDepth": [
        "Секретарь",
        "Рядовой сотрудник",
        "Руководитель подразделения",
        "Лицо, принимающее решение",
        "Первое лицо",
    ],
    "ContactReaction": [
        "Положительная",
        "Нейтральная",
        "Отрицательная",
        "Нет реакции",
    ],
    "Loyalty": [
        "Высокая",
        "Средняя",
        "Низкая",
        "Нелоялен",
    ],
    "Prospect": [
        "Высокая",
        "Средняя",
        "Низкая",
        "Бесперспективен",
    ],
    "GoodsGroup": [
        "Товары",
        "Услуги",
    ],
    # Company-specific: present in the menu, filled by the administrator.
    "Competitor": [],
    "ContractType": [],
    "Tariff": [],
}

# Units of measure: (name, short name, OKEI code).
UNITS: list[tuple[str, str, str]] = [
    ("Штука", "шт", "796"),
    ("Килограмм", "кг", "166"),
    ("Грамм", "г", "163"),
    ("Тонна", "т", "168"),
    ("Миллиметр", "мм", "003"),
    ("Сантиметр", "см", "004"),
    ("Метр", "м", "006"),
    ("Километр", "км", "008"),
    ("Погонный метр", "пог. м", "018"),
    ("Квадратный метр", "м²", "055"),
    ("Кубический метр", "м³", "113"),
    ("Литр", "л", "112"),
    ("Миллилитр", "мл", "111"),
    ("Упаковка", "упак", "778"),
    ("Комплект", "компл", "839"),
    ("Набор", "набор", "704"),
    ("Пара", "пар", "715"),
    ("Рулон", "рул", "736"),
    ("Лист", "лист", "625"),
    ("Ящик", "ящ", "812"),
    ("Бутылка", "бут", "868"),
    ("Час", "ч", "356"),
    ("Сутки", "сут", "359"),
    ("Месяц", "мес", "362"),
    ("Год", "год", "366"),
    ("Киловатт-час", "кВт·ч", "245"),
    ("Условная единица", "усл. ед", "876"),
]

# VAT rates: (name, rate in % or None for "without VAT", valid from, valid to).
VAT_RATES: list[tuple[str, Decimal | None, datetime.date | None, datetime.date | None]] = [
    # 20 % from 2019 (Federal Law 303-FZ) until 22 % replaces it (Federal Law 425-FZ).
    ("20 %", Decimal("20"), datetime.date(2019, 1, 1), datetime.date(2025, 12, 31)),
    ("22 %", Decimal("22"), datetime.date(2026, 1, 1), None),
    ("10 %", Decimal("10"), None, None),
    # The reduced rates of the simplified tax system (Federal Law 176-FZ).
    ("5 %", Decimal("5"), datetime.date(2025, 1, 1), None),
    ("7 %", Decimal("7"), datetime.date(2025, 1, 1), None),
    ("0 %", Decimal("0"), None, None),
    ("Без НДС", None, None, None),
]


# The client registry's named flags (name, colour of ClientFlag.Colour): the manual's «Горячий клиент» and
# «Синий флаг», and two more colours an office usually wants.
CLIENT_FLAGS: list[tuple[str, str]] = [
    ("Горячий клиент", "red"),
    ("Синий флаг", "blue"),
    ("Зелёный флаг", "green"),
    ("Жёлтый флаг", "yellow"),
]

# Results of an event (HIS-01), loaded by the migration that brought the directory.
EVENT_RESULTS: list[str] = [
    "Договорились о встрече",
    "Отправлено предложение",
    "Клиент думает",
    "Перезвонить позже",
    "Заключена сделка",
    "Отказ",
    "Не дозвонились",
]
