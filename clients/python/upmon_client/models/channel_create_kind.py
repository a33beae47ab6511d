from enum import StrEnum


class ChannelCreateKind(StrEnum):
    DISCORD = "discord"
    EMAIL = "email"
    GOOGLE_CHAT = "google_chat"
    MATRIX = "matrix"
    MATTERMOST = "mattermost"
    NTFY = "ntfy"
    OPSGENIE = "opsgenie"
    PAGERDUTY = "pagerduty"
    PUSHOVER = "pushover"
    SLACK = "slack"
    TEAMS = "teams"
    TELEGRAM = "telegram"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
