"""``python -m omp_validators`` runs the ``omp`` command."""

from omp_validators.cli import main

main()
