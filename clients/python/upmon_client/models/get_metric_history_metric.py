from enum import StrEnum


class GetMetricHistoryMetric(StrEnum):
    ACK_PENDING = "ack_pending"
    CHECK_TO_ROW_P99_MS = "check_to_row_p99_ms"
    ERRORS = "errors"
    LAG_S = "lag_s"
    MESSAGES = "messages"
    PENDING = "pending"
    RATE_IN = "rate_in"
    RATE_OUT = "rate_out"
    REDELIVERED = "redelivered"
    REPLICA_CPU = "replica_cpu"
    REPLICA_RATE = "replica_rate"
    RESULTS_RECORDED = "results_recorded"
    SCHEDULE_LAG_P99_MS = "schedule_lag_p99_ms"

    def __str__(self) -> str:
        return str(self.value)
