from typed_semconv.cli import main

main()
