"""The Informer (ORG-06): tips about Kontora shown one at a time in the main window's right panel.

Tips are data in both languages rather than gettext messages: they are long texts that change
together with the features they describe, and a translator sees each pair side by side here.
Each session walks the tips in its own random order and sees every tip once before any repeats: the walk is
kept in the session (a reader's place in the tips, not a write to the base).

A tip marked `"for": "admin"` (servers, backups, the command line, settings only an administrator reaches) is shown
to administrators only: a manager has nothing to do with PostgreSQL or Redis.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from typing import Any

TIPS: list[dict[str, str]] = [
    {
        "ru": "Логин не зависит от регистра: «Иванов» и «иванов» — одна и та же учётная запись.",
        "en": "Logins are case-insensitive: “Ivanov” and “ivanov” are the same account.",
    },
    {
        "ru": "После пяти неверных паролей подряд вход под этим логином с того же компьютера блокируется "
              "на 15 минут. Это защищает пароли от подбора.",
        "en": "After five wrong passwords in a row, signing in with that login from the same computer is "
              "locked for 15 minutes. This protects passwords from guessing.",
    },
    {
        "for": "admin",
        "ru": "В закрытой офисной сети администратор может включить выбор пользователя из списка при входе: "
              "«Настройки → Функционал», флажок «Выбор пользователя из списка на странице входа».",
        "en": "In a closed office network the administrator can let people pick their name from a list on "
              "the login page: Settings → Functionality, “Choose the user from a list on the login page”.",
    },
    {
        "ru": "В программе четыре роли: Администратор, Супервизор, Менеджер и Специалист. Роль даёт базовый "
              "набор прав; дополнительные права администратор выдаёт на вкладке «Права» карточки пользователя.",
        "en": "There are four roles: Administrator, Supervisor, Manager and Specialist. A role brings a base "
              "set of rights; the administrator grants more on the Rights tab of the user card.",
    },
    {
        "ru": "Режим работы с клиентами задаётся каждому пользователю: видеть только своих клиентов; видеть "
              "весь список, но открывать только своих; открывать всех; полностью работать со всеми.",
        "en": "Each user has a working mode with clients: see only own clients; see the whole list but open "
              "only own; open all clients; fully work with all clients.",
    },
    {
        "ru": "Право «Вести приватных клиентов» позволяет отметить своего клиента как приватного: его не видит "
              "никто, кроме куратора, — даже администратор.",
        "en": "The “Keep private clients” right lets a user mark an own client as private: nobody but the "
              "curator sees it — not even an administrator.",
    },
    {
        "for": "admin",
        "ru": "Неиспользуемые блоки программы можно отключить: учёт продаж, работ и услуг, склад, касса, "
              "вкладки «Безопасность» и «Отгрузочные реквизиты» карточки клиента. Пункт «Настройки → "
              "Функционал» доступен администратору.",
        "en": "Blocks you do not use can be switched off: sales, works and services, warehouse, cash, and the "
              "client card's Security and Shipping tabs. The administrator does it in Settings → Functionality.",
    },
    {
        "ru": "Нажмите «?» (Shift+/) в любом окне, чтобы увидеть список горячих клавиш. Тот же список есть в "
              "меню «Справка → Горячие клавиши».",
        "en": "Press “?” (Shift+/) anywhere to see the list of keyboard shortcuts. The same list is in "
              "Help → Keyboard shortcuts.",
    },
    {
        "ru": "В списках работает клавиатура, как в настольной программе: Ins добавляет запись, стрелки "
              "перемещают курсор по строкам, Enter открывает строку.",
        "en": "Lists work with the keyboard like a desktop program: Ins adds a record, the arrow keys move the "
              "cursor over the rows, Enter opens the row.",
    },
    {
        "ru": "Клавиша «Пробел» отмечает строку списка; отмеченные строки подсвечиваются и участвуют в "
              "групповой обработке.",
        "en": "The Space key marks a row of a list; marked rows are highlighted and take part in group "
              "processing.",
    },
    {
        "ru": "Esc закрывает открытое окно или меню, а если ничего не открыто — снимает курсор со строки списка.",
        "en": "Esc closes an open dialog or menu; when nothing is open it clears the cursor from a list row.",
    },
    {
        "ru": "Язык интерфейса у каждого пользователя свой: «Настройки → Параметры», вкладка «Общие». Выбранный "
              "язык действует сразу после сохранения.",
        "en": "Each user chooses their own interface language: Settings → Parameters, General tab. The new "
              "language applies as soon as you save.",
    },
    {
        "ru": "До входа в программу язык можно переключить ссылками «Русский · English» внизу окна авторизации.",
        "en": "Before signing in you can switch the language with the “Русский · English” links at the bottom "
              "of the sign-in window.",
    },
    {
        "ru": "Информатор можно отключить флажком «Не показывать при запуске» внизу этой панели. Свёрнутую "
              "панель открывает полоска «Информатор» у правого края окна.",
        "en": "Turn the informer off with the “Don't show at start” box at the bottom of this panel. A collapsed "
              "panel reopens from the “Informer” strip at the right edge of the window.",
    },
    {
        "ru": "На вкладке «Вход в систему» окна «Настройки → Параметры» можно включить показ журнала задач и "
              "сообщение о просроченных задачах при входе в систему.",
        "en": "On the Login tab of Settings → Parameters you can have the task journal shown and overdue tasks "
              "reported when you sign in.",
    },
    {
        "ru": "Календарь в панели «Ассистент» листается стрелками по месяцам, а поле «К дате» сразу открывает "
              "нужный день. Панель сворачивается, освобождая место для работы.",
        "en": "The calendar in the Assistant panel turns months with its arrows, and the “Go to date” field "
              "jumps straight to a day. The panel collapses to give the work area more room.",
    },
    {
        "for": "admin",
        "ru": "Резервная копия снимается, пока пользователи работают: база данных и вложенные файлы попадают в "
              "один архив с контрольными суммами. Пункт «Администрирование → Резервные копии».",
        "en": "Backups are taken while people work: the database and attached files go into one archive with "
              "checksums. See Administration → Backups.",
    },
    {
        "for": "admin",
        "ru": "Ночная резервная копия делается автоматически; хранятся только последние копии (по умолчанию 7). "
              "Час и число копий задают переменные KONTORA_BACKUP_HOUR и KONTORA_BACKUP_KEEP.",
        "en": "A nightly backup is made automatically and only the latest copies are kept (7 by default). The "
              "hour and the number of copies come from KONTORA_BACKUP_HOUR and KONTORA_BACKUP_KEEP.",
    },
    {
        "for": "admin",
        "ru": "Команда «kontora restore АРХИВ» проверяет контрольные суммы и целостность базы до того, как что-либо "
              "заменить, и откажется работать, пока на этой базе запущен сервер.",
        "en": "The “kontora restore ARCHIVE” command checks the checksums and the database's integrity before "
              "replacing anything, and refuses while a server runs on that base.",
    },
    {
        "for": "admin",
        "ru": "Администратор видит, кто сейчас работает в системе: «Администрирование → Активные пользователи» — "
              "время входа, имя компьютера и IP-адрес. Сеанс можно завершить.",
        "en": "The administrator sees who is working right now in Administration → Active users: sign-in time, "
              "computer name and IP address. A session can be ended from there.",
    },
    {
        "ru": "Если пользователя отключили или отметили как уволенного, его сеанс закрывается при следующем же "
              "обращении к программе.",
        "en": "When a user is disabled or marked as dismissed, their session closes at their very next request.",
    },
    {
        "ru": "Префикс номеров документов из карточки пользователя ставится перед номерами выписанных им "
              "документов: например, «АМ» даёт АМ-422.",
        "en": "The document number prefix on the user card goes before the numbers of the documents the user "
              "issues: for example “АМ” gives АМ-422.",
    },
    {
        "for": "admin",
        "ru": "В «Администрирование → Предприятие: константы» ведутся свои юридические лица с реквизитами и "
              "расчётными счетами; одно юрлицо и один счёт отмечаются как используемые по умолчанию.",
        "en": "Administration → Enterprise: constants keeps your own legal entities with their requisites and "
              "settlement accounts; one entity and one account are marked as the defaults.",
    },
    {
        "for": "admin",
        "ru": "На пустой базе открывается мастер первого запуска: сведения о своей организации, банковский счёт "
              "и первая учётная запись, которая становится администратором.",
        "en": "On an empty base the first-run wizard opens: your organisation, its bank account and the first "
              "account, which becomes the administrator.",
    },
    {
        "ru": "Колокольчик в строке меню показывает число непрочитанных уведомлений; новые сообщения всплывают "
              "в углу окна, даже если пришли, пока вас не было в программе.",
        "en": "The bell in the menu bar shows the number of unread notifications; new messages pop up in the "
              "corner of the window, also those that arrived while you were away.",
    },
    {
        "ru": "Долгие операции — резервное копирование, импорт, рассылки — выполняются в фоне как задания: видна "
              "полоса прогресса, задание можно отменить, а его результат и ошибки сохраняются.",
        "en": "Long operations — backups, imports, mailings — run in the background as jobs: you see a progress "
              "bar, can cancel the job, and its result and errors are kept.",
    },
    {
        "for": "admin",
        "ru": "Для небольшого офиса достаточно одной команды «kontora serve»: она запускает веб-сервер и "
              "обработчик фоновых заданий, база хранится в одном файле SQLite.",
        "en": "For a small office one command is enough: “kontora serve” starts the web server and the "
              "background job worker, with the base in one SQLite file.",
    },
    {
        "for": "admin",
        "ru": "Команда «kontora upgrade» обновляет базу старой версии шаг за шагом; базу новее программы она не "
              "трогает и просит установить более новую версию Kontora.",
        "en": "“kontora upgrade” brings an older base up to date step by step; a base newer than the program is "
              "left untouched with a request to install a newer Kontora.",
    },
    {
        "for": "admin",
        "ru": "Команда «kontora check» проверяет доступность базы, применённые обновления, папку файлов и работу "
              "обработчика заданий — по строке OK или FAIL на каждую проверку.",
        "en": "“kontora check” checks the database, applied upgrades, the files folder and the job worker — one "
              "OK or FAIL line per check.",
    },
    {
        "for": "admin",
        "ru": "Для многих пользователей Kontora работает на PostgreSQL: укажите адрес базы в переменной "
              "KONTORA_DATABASE_URL, а очередь заданий можно вынести в Redis через KONTORA_REDIS_URL.",
        "en": "For many users Kontora runs on PostgreSQL: put the database address into KONTORA_DATABASE_URL; "
              "the job queue can move to Redis with KONTORA_REDIS_URL.",
    },
    {
        "ru": "Версия программы и версия структуры базы данных показаны в «Справка → О программе»; там же "
              "администратор видит технические настройки сервера (без паролей).",
        "en": "The program version and the database schema version are in Help → About; the administrator also "
              "sees the server's technical settings there (without passwords).",
    },
    {
        "ru": "На странице ошибки показан номер запроса. Сообщите его администратору: по этому номеру он найдёт "
              "подробности в журнале сервера.",
        "en": "An error page shows a request number. Tell it to your administrator: it finds the details in the "
              "server log.",
    },
]


def tips_for(user: Any) -> list[int]:
    """The indexes of the tips `user` is shown: every tip to an administrator, the others' tips to the rest."""
    admin = bool(getattr(user, "is_admin", False))
    return [index for index, tip in enumerate(TIPS) if admin or tip.get("for") != "admin"]


def tip_text(index: int, language: str) -> str:
    tip = TIPS[index]
    return tip.get(language) or tip["ru"]


def _all() -> list[int]:
    return list(range(len(TIPS)))


def _new_order(shown: list[int], avoid_first: int | None) -> list[int]:
    order = list(shown)
    secrets.SystemRandom().shuffle(order)
    # A new round must not start with the tip that ended the previous one.
    if avoid_first is not None and len(order) > 1 and order[0] == avoid_first:
        order[0], order[-1] = order[-1], order[0]
    return order


def _state(session: MutableMapping[str, Any], shown: list[int]) -> tuple[list[int], int] | None:
    order = session.get("informer_order")
    pos = session.get("informer_pos")
    if (
        not isinstance(order, list) or not isinstance(pos, int)
        or sorted(order) != sorted(shown) or not 0 <= pos < len(order)
    ):
        return None  # no walk yet, or the tips (or the tips this user is shown) changed since it began
    return order, pos


def current_tip(session: MutableMapping[str, Any], shown: list[int] | None = None) -> int:
    """The tip this session is looking at, among `shown` (`tips_for` the user; every tip when not given); starts
    a new random walk on first use."""
    shown = _all() if shown is None else shown
    state = _state(session, shown)
    if state is None:
        order = _new_order(shown, None)
        session["informer_order"], session["informer_pos"] = order, 0
        return order[0]
    order, pos = state
    return order[pos]


def next_tip(session: MutableMapping[str, Any], shown: list[int] | None = None) -> int:
    """Moves to the next unseen tip among `shown`; after the last one a new random round begins."""
    shown = _all() if shown is None else shown
    state = _state(session, shown)
    if state is None:
        return current_tip(session, shown)
    order, pos = state
    if pos + 1 < len(order):
        session["informer_pos"] = pos + 1
        return order[pos + 1]
    order = _new_order(shown, order[pos])
    session["informer_order"], session["informer_pos"] = order, 0
    return order[0]


def position(session: MutableMapping[str, Any], shown: list[int] | None = None) -> int:
    """1-based number of the current tip within this round, for "3 of 31"."""
    state = _state(session, _all() if shown is None else shown)
    return state[1] + 1 if state else 1
