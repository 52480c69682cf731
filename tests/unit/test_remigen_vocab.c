/* test_remigen_vocab.c: the REMIGEN2 vocabulary tables against MidiProcessor's VocabManager and
 * CPython's float64 arithmetic.
 *
 * The tempo boundaries and BPM values below were computed with CPython 3.11 (math.log2, round,
 * 2 ** (k / 12) * 16, round(60e6 / bpm)) over every set_tempo value 1..2^24-1; the C code must
 * reproduce them exactly. */
#include "test_util.h"

#include "remigen_vocab.h"

/* (us per quarter, tempo id) where CPython's id changes: id(us) for us in [b[i].us, b[i+1].us)
 * is b[i].id, and id 48 below the first boundary */
static const struct { int us, id; } tempo_bounds[48] = {
    {241243, 47}, {255588, 46}, {270786, 45}, {286888, 44}, {303947, 43}, {322021, 42}, {341169, 41},
    {361456, 40}, {382949, 39}, {405721, 38}, {429846, 37}, {455406, 36}, {482486, 35}, {511176, 34},
    {541572, 33}, {573776, 32}, {607894, 31}, {644041, 30}, {682338, 29}, {722912, 28}, {765898, 27},
    {811441, 26}, {859692, 25}, {910812, 24}, {964971, 23}, {1022351, 22}, {1083144, 21}, {1147551, 20},
    {1215788, 19}, {1288082, 18}, {1364675, 17}, {1445823, 16}, {1531796, 15}, {1622882, 14},
    {1719383, 13}, {1821623, 12}, {1929942, 11}, {2044702, 10}, {2166287, 9}, {2295101, 8}, {2431575, 7},
    {2576164, 6}, {2729350, 5}, {2891646, 4}, {3063592, 3}, {3245763, 2}, {3438766, 1}, {3643245, 0}};

/* repr(2 ** (k / 12) * 16) and int(round(60e6 / that)) for k = 0..48 */
static const char *const bpm_repr[49] = {
    "16.0", "16.951409509748725", "17.95939277294997", "19.027313840043536", "20.15873679831797",
    "21.35743766672055", "22.627416997969522", "23.972913230026904", "25.39841683149119", "26.908685288118864",
    "28.508758980490857", "30.20397800581419", "32.0", "33.90281901949745", "35.91878554589994",
    "38.05462768008707", "40.31747359663594", "42.7148753334411", "45.254833995939045", "47.94582646005381",
    "50.79683366298239", "53.81737057623773", "57.01751796098171", "60.407956011628386", "64.0",
    "67.8056380389949", "71.83757109179986", "76.10925536017415", "80.63494719327188", "85.42975066688219",
    "90.50966799187809", "95.89165292010763", "101.59366732596476", "107.63474115247546", "114.03503592196344",
    "120.81591202325676", "128.0", "135.6112760779898", "143.67514218359972", "152.2185107203483",
    "161.26989438654377", "170.85950133376437", "181.01933598375618", "191.78330584021526", "203.18733465192952",
    "215.2694823049509", "228.07007184392688", "241.63182404651351", "256.0"};
static const int bpm_us[49] = {
    3750000, 3539529, 3340870, 3153362, 2976377, 2809326, 2651650, 2502825, 2362352, 2229763, 2104616, 1986493,
    1875000, 1769764, 1670435, 1576681, 1488188, 1404663, 1325825, 1251412, 1181176, 1114882, 1052308, 993247,
    937500,  884882,  835218,  788340,  744094,  702331,  662913,  625706,  590588,  557441,  526154,  496623,
    468750,  442441,  417609,  394170,  372047,  351166,  331456,  312853,  295294,  278720,  263077,  248312, 234375};

static void check_tempo(void) {
    /* every possible set_tempo value */
    long bad = 0;
    int b = 0;
    for (int us = 1; us < (1 << 24); us++) {
        while (b < 48 && us >= tempo_bounds[b].us) b++;
        int want = b == 0 ? 48 : tempo_bounds[b - 1].id;
        if (emg_remi_tempo_id(60000000.0 / us) != want) {
            if (bad++ < 5) fprintf(stderr, "  us %d: tempo id %d, CPython %d\n", us, emg_remi_tempo_id(60000000.0 / us), want);
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(emg_remi_tempo_id(120.0), 35);
    CHECK_EQ_INT(emg_remi_tempo_id(16.0), 0);
    CHECK_EQ_INT(emg_remi_tempo_id(1e9), 48);
    CHECK_EQ_INT(emg_remi_tempo_id(1.0), 0);
    for (int k = 0; k < 49; k++) {
        double bpm = emg_remi_tempo_bpm(k);
        CHECK_EQ_DBL(bpm, strtod(bpm_repr[k], NULL));
        CHECK_EQ_INT((long)nearbyint(60000000.0 / bpm), bpm_us[k]);
        CHECK_EQ_INT(emg_remi_tempo_id(bpm), k);
    }
}

static void check_tokens(void) {
    CHECK_EQ_INT(EMG_REMI_VOCAB_SIZE, 1 + 96 + 129 + 256 + 96 + 32 + 254 + 49);
    /* every id prints and parses back; the table order is b o i p d v s t */
    int roundtrip = 1, prev_type = -1, ordered = 1;
    for (int id = 0; id < EMG_REMI_VOCAB_SIZE; id++) {
        char s[EMG_REMI_TOKEN_MAX];
        int l = emg_remi_token_str(id, s);
        roundtrip &= l > 2 && emg_remi_parse_token(s, (size_t)l) == id;
        int t = emg_remi_id_type(id);
        ordered &= t == prev_type || t == prev_type + 1;
        prev_type = t;
        roundtrip &= emg_remi_token_id(t, emg_remi_id_value(id)) == id;
    }
    CHECK(roundtrip);
    CHECK(ordered);
    char s[EMG_REMI_TOKEN_MAX];
    emg_remi_token_str(0, s);
    CHECK_STR_EQ(s, "b-1");
    emg_remi_token_str(EMG_REMI_VOCAB_SIZE - 1, s);
    CHECK_STR_EQ(s, "t-48");
    emg_remi_token_str(EMG_REMI_TS_BASE + 253, s);
    CHECK_STR_EQ(s, "s-253");
    CHECK_EQ_INT(emg_remi_token_str(EMG_REMI_VOCAB_SIZE, s), 0);
    CHECK_EQ_INT(emg_remi_token_str(-1, s), 0);
    CHECK_EQ_INT(emg_remi_parse_token("p-60", 4), EMG_REMI_PITCH_BASE + 60);
    CHECK_EQ_INT(emg_remi_parse_token("i-128", 5), EMG_REMI_INST_BASE + 128);
    /* not tokens the encoder writes */
    const char *bad[] = {"b-0", "b-2", "p-060", "p-256", "o-96", "t-49", "s-254", "i-129", "d-96", "v-32",
                         "x-1", "p-", "p--1", "p-+6", "<unk>", "Q1", "None", "", "p", "p-6 ", "pp-6", "p-1000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK_EQ_INT(emg_remi_parse_token(bad[i], strlen(bad[i])), -1);
}

static void check_ts(void) {
    /* EMOGEN_SPEC.md section 4 examples */
    const int ex[][3] = {{1, 4, 6}, {2, 4, 7}, {3, 4, 8}, {4, 4, 9}, {5, 4, 10}, {2, 2, 3}, {3, 8, 16},
                         {6, 8, 19}, {7, 8, 20}, {9, 8, 22}, {12, 8, 25}, {1, 1, 0}, {2, 1, 1}, {128, 64, 253}};
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        CHECK_EQ_INT(emg_remi_ts_id(ex[i][0], ex[i][1]), ex[i][2]);
        int num, den;
        emg_remi_ts_of_id(ex[i][2], &num, &den);
        CHECK_EQ_INT(num, ex[i][0]);
        CHECK_EQ_INT(den, ex[i][1]);
    }
    /* VocabManager.generate_ts_vocab: den 2^0..2^6, num 1..2*den, running index */
    int id = 0, all = 1;
    for (int den = 1; den <= 64; den *= 2)
        for (int num = 1; num <= 2 * den; num++, id++) {
            int n2, d2;
            emg_remi_ts_of_id(id, &n2, &d2);
            all &= emg_remi_ts_id(num, den) == id && n2 == num && d2 == den;
        }
    CHECK(all);
    CHECK_EQ_INT(id, EMG_REMI_N_TS);
    CHECK_EQ_INT(emg_remi_ts_id(9, 4), -1);
    CHECK_EQ_INT(emg_remi_ts_id(3, 128), -1);
    CHECK_EQ_INT(emg_remi_ts_id(3, 3), -1);
    CHECK_EQ_INT(emg_remi_ts_id(0, 4), -1);
}

static void check_durations(void) {
    /* EMOGEN_SPEC.md: bucket starts 0..11, 12,14,..,34, 36,40,..,80, 84,92,..,172, 180,196,..,356,
     * 372,404,..,724, 756,820,..,1460, 1524,1652,..,2932 */
    const int group_start[8] = {0, 12, 36, 84, 180, 372, 756, 1524};
    int all = 1;
    for (int g = 0; g < 8; g++)
        for (int j = 0; j < 12; j++) all &= emg_remi_dur_start(12 * g + j) == group_start[g] + (j << g);
    CHECK(all);
    /* VocabManager.generate_duration_vocab: dur_enc[x] for x < 3060, else the last bucket */
    int enc_ok = 1, x = 0;
    for (int g = 0; g < 8; g++)
        for (int j = 0; j < 12; j++)
            for (int k = 0; k < (1 << g); k++, x++) enc_ok &= emg_remi_dur_id(x) == 12 * g + j;
    CHECK(enc_ok);
    CHECK_EQ_INT(x, 3060);
    CHECK_EQ_INT(emg_remi_dur_id(3059), 95);
    CHECK_EQ_INT(emg_remi_dur_id(3060), 95);
    CHECK_EQ_INT(emg_remi_dur_id(INT64_C(1) << 40), 95);
    CHECK_EQ_INT(emg_remi_dur_id(0), 0);
    CHECK_EQ_INT(emg_remi_dur_id(13), 12);
    CHECK_EQ_INT(emg_remi_dur_id(14), 13);
}

static void check_dict_parse(void) {
    emg_remi_dict d;
    const char ok[] = "b-1 1\np-60 5\nQ1 1 #fairseq:overwrite\nweird 2\n";
    CHECK_EQ_INT(emg_remi_dict_parse(&d, ok, strlen(ok)).code, 0);
    CHECK_EQ_INT(d.n, 8);
    CHECK_EQ_INT(d.from_full[EMG_REMI_PITCH_BASE + 60], 5);
    CHECK_EQ_INT(d.from_full[EMG_REMI_PITCH_BASE + 61], EMG_DICT_UNK);
    CHECK_EQ_INT(d.to_full[4], EMG_REMI_BAR_ID);
    CHECK_EQ_INT(d.to_full[6], -1);
    CHECK_STR_EQ(d.sym[7], "weird");
    emg_remi_dict_free(&d);
    const char dup[] = "b-1 1\np-60 5\nb-1 1\n";
    CHECK(emg_remi_dict_parse(&d, dup, strlen(dup)).code != 0);
    const char dup_special[] = "<unk> 1\n";
    CHECK(emg_remi_dict_parse(&d, dup_special, strlen(dup_special)).code != 0);
    const char nocount[] = "b-1\n";
    CHECK(emg_remi_dict_parse(&d, nocount, strlen(nocount)).code != 0);
    const char badcount[] = "b-1 x\n";
    CHECK(emg_remi_dict_parse(&d, badcount, strlen(badcount)).code != 0);
    CHECK(emg_remi_dict_load(&d, "/nonexistent/dict.txt").code != 0);
}

int main(void) {
    check_tokens();
    check_ts();
    check_durations();
    check_tempo();
    check_dict_parse();
    return TEST_DONE();
}
