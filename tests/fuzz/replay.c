/*
 * replay.c — main() for the replay_<name> builds of the fuzz targets: runs
 * LLVMFuzzerTestOneInput() once on every file named, and on every file of
 * every directory named (the corpus and the regressions), the way
 * `fuzz_<name> -runs=0 DIR…` does.  A crash or a failed property aborts;
 * a file that cannot be read is a failure too, so that a mistyped path
 * does not pass as "nothing to replay".
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#include "mcred/banned.h"

/* Inputs are small; anything past this is not one of ours. */
#define REPLAY_MAX_INPUT (4 * 1024 * 1024)

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t *data = malloc(REPLAY_MAX_INPUT);
    size_t n = data ? fread(data, 1, REPLAY_MAX_INPUT, f) : 0;
    int failed = !data || ferror(f) || !feof(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "replay: could not read %s\n", path);
        free(data);
        return 1;
    }
    (void)LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int replay_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
        return 1;
    }
    int failed = 0;
    for (const struct dirent *e = readdir(d); e && !failed; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and dotfiles such as .gitkeep */
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
            fprintf(stderr, "replay: path too long in %s\n", dir);
            failed = 1;
        } else {
            failed = replay_file(path);
            (*count)++;
        }
    }
    closedir(d);
    return failed;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: cannot find %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        int failed = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count) : replay_file(argv[i]);
        if (!S_ISDIR(st.st_mode))
            count++;
        if (failed)
            return 1;
    }
    printf("replayed %zu inputs\n", count);
    return count ? 0 : 1;
}
