import sys

from raising.cli import main

sys.exit(main())
