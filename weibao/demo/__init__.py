"""Demo data for `weibao demo` / `make run`: a provider, two customers, sites at realistic
distances, a few hundred assets, a Gold contract and a user for every role."""
