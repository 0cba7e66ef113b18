/* t_atomic_file.c: the target holds old or new content, never a mix. */
#include "harness.h"
#include "atomic_file.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

DEF_TEST(commit_replaces_content)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("old\n", af.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af));
	EXPECT_EQ_STR("old\n", slurp(path));

	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("new\n", af.fp);
	EXPECT_EQ_STR("old\n", slurp(path)); /* not visible before commit */
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af));
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());

	struct stat st;
	EXPECT_EQ_INT(0, stat(path, &st));
	EXPECT_EQ_INT(0644 & ~022, st.st_mode & 0777 & ~022);
	return 0;
}

DEF_TEST(abort_keeps_old_content)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("half a docu", af.fp);
	xv_atomic_file_abort(&af);
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());
	return 0;
}

DEF_TEST(unwritable_directory_fails_cleanly)
{
	struct xv_atomic_file af;

	EXPECT_EQ_INT(-1, xv_atomic_file_open(&af, "/nonexistent-dir/feed.xml", 0644));
	EXPECT_CONTAINS("cannot create a temporary file for '/nonexistent-dir/feed.xml'", af.err);
	xv_atomic_file_abort(&af); /* safe after a failed open */
	return 0;
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/xv-atomic-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN_TEST(commit_replaces_content);
	RUN_TEST(abort_keeps_old_content);
	RUN_TEST(unwritable_directory_fails_cleanly);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd)) {}
	END_TEST;
}
