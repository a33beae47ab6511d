"""Parts of the executor benchmark: the target farm, its certificates, the bare client loop."""
