from formalai_lint.cli import main

main()
