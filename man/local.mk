# man/: manual pages. Each program's owner adds its page here or in its
# own fragment with dist_man_MANS += (the variable starts in Makefile.am).
dist_man_MANS += man/upsgated.8 man/upsgatectl.1
