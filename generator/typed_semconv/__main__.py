from typed_semconv.cli.commands import main

main()
