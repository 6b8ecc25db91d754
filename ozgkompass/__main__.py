from ozgkompass.entry import main

main()
