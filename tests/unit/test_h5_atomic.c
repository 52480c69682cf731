/* test_h5_atomic.c: a run killed in the middle of writing leaves the previous file intact;
 * the next run replaces it; a reader that meets another format or version says what to do. */
#define _POSIX_C_SOURCE 200809L
#include "h5util.h"
#include "check.h"
#include "test_util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_version(const char *path, int64_t marker, int kill_midway) {
    emg_h5file f;
    emg_h5_create(&f, path, MPI_COMM_NULL, "emogen.test", 1, "test", "{\"marker\":1}");
    emg_h5_attr_i64(f.id, "marker", marker);
    enum { N = 1 << 20 };
    int64_t *data = xmalloc(N * sizeof *data);
    for (int64_t i = 0; i < N; i++) data[i] = marker * 1000000 + i;
    emg_h5_write_1d(f.id, "data", H5T_NATIVE_INT64, N, 0, N, data, MPI_COMM_NULL);
    free(data);
    if (kill_midway) {
        H5Fflush(f.id, H5F_SCOPE_GLOBAL);  /* bytes are on disk in the .tmp file ... */
        raise(SIGKILL);                    /* ... and the process dies before commit */
    }
    emg_h5_commit(&f);
}

static int64_t read_marker(const char *path) {
    char err[512];
    hid_t id = emg_h5_open(path, MPI_COMM_NULL, "emogen.test", 1, err, sizeof err);
    if (id < 0) { fprintf(stderr, "%s\n", err); return -1; }
    int64_t m = -1, first = -1;
    emg_h5_get_attr_i64(id, "marker", &m);
    emg_h5_read_1d(id, "data", H5T_NATIVE_INT64, 5, 1, &first);
    H5Fclose(id);
    return first == m * 1000000 + 5 ? m : -2;
}

int main(void) {
    emg_h5_quiet_errors();
    char dir[] = "/tmp/emogen_h5_atomic_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[512], tmp[600];
    snprintf(path, sizeof path, "%s/store.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);

    write_version(path, 1, 0);
    CHECK_EQ_INT(read_marker(path), 1);

    pid_t pid = fork();
    if (pid == 0) { write_version(path, 2, 1); _exit(0); }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(access(tmp, F_OK) == 0);        /* the half-written file is the .tmp */
    CHECK_EQ_INT(read_marker(path), 1);   /* the old file is untouched */

    write_version(path, 3, 0);            /* a rerun overwrites the stale .tmp and commits */
    CHECK_EQ_INT(read_marker(path), 3);
    CHECK(access(tmp, F_OK) != 0);

    /* identity checks: the message says what the file is and what to do */
    char err[1024];
    CHECK(emg_h5_open(path, MPI_COMM_NULL, "emogen.corpus", 1, err, sizeof err) < 0);
    CHECK(strstr(err, "is a emogen.test file") && strstr(err, "a emogen.corpus file is needed"));
    CHECK(emg_h5_open(path, MPI_COMM_NULL, "emogen.test", 2, err, sizeof err) < 0);
    CHECK(strstr(err, "emogen.test version 1") && strstr(err, "reads version 2") && strstr(err, "re-create"));
    CHECK(emg_h5_open("/nonexistent/x.h5", MPI_COMM_NULL, "emogen.test", 1, err, sizeof err) < 0);
    CHECK(strstr(err, "cannot read") != NULL);
    FILE *f = fopen(tmp, "w");
    fputs("not hdf5", f);
    fclose(f);
    CHECK(emg_h5_open(tmp, MPI_COMM_NULL, "emogen.test", 1, err, sizeof err) < 0);
    CHECK(strstr(err, "not an HDF5 file") != NULL);
    /* every file carries its config and writer */
    hid_t id = emg_h5_open(path, MPI_COMM_NULL, "emogen.test", 1, err, sizeof err);
    char *cfg = NULL, *by = NULL;
    CHECK_EQ_INT(emg_h5_get_attr_str(id, "config", &cfg), 0);
    CHECK_EQ_INT(emg_h5_get_attr_str(id, "written_by", &by), 0);
    CHECK_STR_EQ(cfg, "{\"marker\":1}");
    CHECK(by && strstr(by, "emogen ") == by);
    free(cfg);
    free(by);
    H5Fclose(id);
    unlink(tmp);
    unlink(path);
    rmdir(dir);
    return TEST_DONE();
}
