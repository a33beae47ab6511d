from enum import StrEnum


class MonitorSummaryKind(StrEnum):
    DNS = "dns"
    HEARTBEAT = "heartbeat"
    HTTP = "http"
    PING = "ping"
    REDIS = "redis"
    SMTP = "smtp"
    TCP = "tcp"
    TLS = "tls"
    UDP = "udp"
    WEBSOCKET = "websocket"

    def __str__(self) -> str:
        return str(self.value)
