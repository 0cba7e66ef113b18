# lib/: the core, a static library every program links.  Modules that need an
# optional library guard themselves with XV_HAVE_* and report "not compiled in".
LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB := lib/libxvmon.a

$(LIB): $(LIB_SRCS:.c=.o)
	$(QUIET_AR)rm -f $@ && $(AR) rcs $@ $^
