from ozgkompass.cli import main

main()
