/* test_md5.c: the RFC 1321 test suite, streaming in odd chunk sizes, and (with shared data)
 * the md5 column of unlabelled/MANIFEST.csv for every file. */
#include "csv.h"
#include "md5.h"
#include "test_util.h"

static void hex_of(const char *s, char out[33]) {
    uint8_t d[16];
    emg_md5(s, strlen(s), d);
    emg_md5_hex(d, out);
}

int main(void) {
    char h[33];
    hex_of("", h); CHECK_STR_EQ(h, "d41d8cd98f00b204e9800998ecf8427e");
    hex_of("a", h); CHECK_STR_EQ(h, "0cc175b9c0f1b6a831c399e269772661");
    hex_of("abc", h); CHECK_STR_EQ(h, "900150983cd24fb0d6963f7d28e17f72");
    hex_of("message digest", h); CHECK_STR_EQ(h, "f96b697d7cb7938d525a2f31aaf161d0");
    hex_of("abcdefghijklmnopqrstuvwxyz", h); CHECK_STR_EQ(h, "c3fcd3d76192e4007dfb496cca67e13b");
    hex_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", h);
    CHECK_STR_EQ(h, "d174ab98d277d9f5a5611c2c9f419d9f");
    hex_of("12345678901234567890123456789012345678901234567890123456789012345678901234567890", h);
    CHECK_STR_EQ(h, "57edf4a22be3c955ac49da2e2107b67a");
    /* streaming in chunks of every size 1..70 equals one call */
    char big[1000];
    for (int i = 0; i < 1000; i++) big[i] = (char)(i * 31 + 7);
    uint8_t one[16];
    emg_md5(big, sizeof big, one);
    int all_same = 1;
    for (size_t chunk = 1; chunk <= 70; chunk++) {
        emg_md5_ctx c;
        emg_md5_init(&c);
        for (size_t off = 0; off < sizeof big; off += chunk)
            emg_md5_update(&c, big + off, off + chunk <= sizeof big ? chunk : sizeof big - off);
        uint8_t d[16];
        emg_md5_final(&c, d);
        all_same &= memcmp(d, one, 16) == 0;
    }
    CHECK(all_same);

    /* multi-buffer: every length 0..300 (all padding cases: 55/56/63/64 bytes mod 64), then 1000
     * buffers of mixed sizes up to 20 kB, equal to one emg_md5 call each; also n < 8 lanes */
    {
        enum { NB = 1301 };
        static uint8_t pool[1 << 21];
        for (size_t i = 0; i < sizeof pool; i++) pool[i] = (uint8_t)((i * 2654435761u) >> 11);
        const uint8_t *ptr[NB];
        size_t len[NB];
        size_t at = 0;
        for (int i = 0; i < NB; i++) {
            len[i] = i <= 300 ? (size_t)i : (size_t)((i * 7919u) % 20011u);
            ptr[i] = pool + (at % 4096);  /* odd alignments too */
            at += 37;
        }
        static uint8_t dig[NB][16];
        int same = 1;
        for (int n = 1; n <= NB; n = n < 10 ? n + 1 : n + 430) {
            emg_md5_many(ptr, len, (size_t)n, dig);
            for (int i = 0; i < n; i++) {
                uint8_t d[16];
                emg_md5(ptr[i], len[i], d);
                same &= memcmp(d, dig[i], 16) == 0;
            }
        }
        CHECK(same);
        const uint8_t *abc = (const uint8_t *)"abc";
        size_t three = 3;
        emg_md5_many(&abc, &three, 1, dig);
        emg_md5_hex(dig[0], h);
        CHECK_STR_EQ(h, "900150983cd24fb0d6963f7d28e17f72");
        emg_md5_many(NULL, NULL, 0, NULL);  /* nothing to do */
        CHECK(1);
    }

    /* csv splitting with quotes */
    char row[] = "a,\"b,c\",\"say \"\"hi\"\"\",,e\r\n";
    char *fld[8];
    CHECK_EQ_INT(emg_csv_split(row, fld, 8), 5);
    CHECK_STR_EQ(fld[1], "b,c");
    CHECK_STR_EQ(fld[2], "say \"hi\"");
    CHECK_STR_EQ(fld[3], "");
    CHECK_STR_EQ(fld[4], "e");

    /* the shared corpus manifest: every file's md5 */
    const char *shared = getenv("EMOGEN_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/unlabelled/MANIFEST.csv", shared && *shared ? shared : EMOGEN_SOURCE_DIR "/../shared");
    FILE *f = fopen(path, "r");
    if (!f) {
        test_shared_dir();  /* skips (or fails under CI) with the reason */
        return TEST_DONE();
    }
    char line[8192];
    int files = 0, ok = 0;
    if (!fgets(line, sizeof line, f)) line[0] = 0;  /* header */
    while (fgets(line, sizeof line, f)) {
        char *col[16];
        if (emg_csv_split(line, col, 16) < 4) continue;
        const char *rel = col[0], *md5 = col[3];
        char fp[4096];
        snprintf(fp, sizeof fp, "%.3000s/data/unlabelled/%.1000s", shared && *shared ? shared : EMOGEN_SOURCE_DIR "/../shared", rel);
        size_t len = 0;
        unsigned char *buf = test_read_file(fp, &len);
        files++;
        if (!buf) continue;
        uint8_t d[16];
        emg_md5(buf, len, d);
        emg_md5_hex(d, h);
        ok += strcmp(h, md5) == 0;
        free(buf);
    }
    fclose(f);
    fprintf(stderr, "md5 of %d manifest files: %d match\n", files, ok);
    CHECK(files >= 3808);
    CHECK_EQ_INT(ok, files);
    return TEST_DONE();
}
