from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "kontora.processes"
    label = "processes"
    verbose_name = _("Business processes")

    def ready(self) -> None:
        self._register_hooks()

    @staticmethod
    def _register_hooks() -> None:
        # The card's «Запустить процесс» (CLI-13) and the Assistant's process monitor (BPM-03): clients and
        # core know nothing of processes, they render what is registered.
        from kontora.clients import card_actions
        from kontora.core.main_window import Monitor, register_monitor
        from kontora.processes import policies, selectors

        card_actions.register(card_actions.CardAction(
            "start_process", _("Start process"), "processes:start", order=10,
            predicate=lambda user, client: policies.can_start_for(user, client)
            and selectors.startable_processes().exists(),
        ))
        register_monitor(Monitor("processes", "processes:monitor", order=20))
