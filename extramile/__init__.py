"""Extra Mile: a customer-service role-play trainer, as a package.

The product's core: settings, the vocabulary, personas, the simulated customer, the detectors,
scoring, the practice-session service and storage. The Rasa action server (`actions/`), the Rasa
channels (`channels/`), the web app (`web/`) and the command-line tools (`extramile ...`) are thin
adapters over it. `docs/architecture.md` has the module map.
"""

__version__ = "0.2.0"
