/* version.c: `emogen version`: the versions of the libraries actually linked (not the headers). */
#include "commands.h"
#include "cli.h"

#include <archive.h>
#include <cblas.h>
#include <cjson/cJSON.h>
#include <hdf5.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>

int cmd_version(emg_ctx *ctx, int argc, char **argv) {
    (void)ctx;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            printf("usage: emogen version\n\nPrint emogen's version and the runtime versions of MPI, HDF5,\n"
                   "libarchive, OpenBLAS and cJSON that this executable is linked with.\n");
            return 0;
        }
        return emg_usage_error("version", "unexpected argument '%s'", argv[a]);
    }
    char mpi[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(mpi, &len);  /* allowed before MPI_Init */
    char *nl = strchr(mpi, '\n');
    if (nl) *nl = 0;
    int mpi_major = 0, mpi_minor = 0;
    MPI_Get_version(&mpi_major, &mpi_minor);
    unsigned h5maj = 0, h5min = 0, h5rel = 0;
    H5get_libversion(&h5maj, &h5min, &h5rel);
    hbool_t h5par = 0;
#ifdef H5_HAVE_PARALLEL
    h5par = 1;
#endif
    printf("emogen %s\n", EMOGEN_VERSION);
    printf("MPI        %s (standard %d.%d)\n", mpi, mpi_major, mpi_minor);
    printf("HDF5       %u.%u.%u (%s)\n", h5maj, h5min, h5rel, h5par ? "parallel" : "serial");
    printf("libarchive %s\n", archive_version_details());
    printf("OpenBLAS   %s(threads: %d)\n", openblas_get_config(), openblas_get_num_threads());
    printf("cJSON      %s\n", cJSON_Version());
    return 0;
}
