import sys

from raising.interface.cli import main

sys.exit(main())
