"""The notifier's side of channels: each kind's module in shared.channels builds and
sends its messages; here `registry.PROVIDERS` opens stored configs for them, and
`channel_test` answers the api's test requests."""
