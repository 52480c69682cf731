/* test_model_count.c: parameter counts of EmoGen's configurations and the flat layout: canonical
 * tensor order (as the reference's param_names), contiguous offsets, shapes; one allocation each
 * for parameters and gradients; the initialisation's statistics. */
#include "model.h"
#include "model_io.h"
#include "test_util.h"

#include <hdf5.h>

/* the reference's param_names dataset (variable-length UTF-8 strings) */
static int read_names(const char *path, char ***names) {
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return -1;
    hid_t ds = H5Dopen2(f, "param_names", H5P_DEFAULT);
    hid_t sp = H5Dget_space(ds);
    int n = (int)H5Sget_simple_extent_npoints(sp);
    hid_t ft = H5Dget_type(ds);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft));
    *names = calloc((size_t)n, sizeof **names);
    herr_t rc = H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *names);
    H5Tclose(mt);
    H5Tclose(ft);
    H5Sclose(sp);
    H5Dclose(ds);
    H5Fclose(f);
    return rc < 0 ? -1 : n;
}

static void check_layout(const emg_model_config *c, size_t expect) {
    CHECK_EQ_INT(emg_model_param_count(c), expect);
    emg_model *m = emg_model_create(c);
    CHECK_EQ_INT(m->n_params, expect);
    CHECK_EQ_INT(m->n_tensors, 7 + 16 * c->n_layers);
    size_t off = 0;
    int contiguous = 1;
    for (int k = 0; k < m->n_tensors; k++) {
        contiguous &= m->tensors[k].offset == off;
        off += m->tensors[k].numel;
    }
    CHECK(contiguous);
    CHECK_EQ_INT(off, expect);
    /* the views point into the one buffer, in order */
    CHECK(m->w.tok_emb == m->params);
    CHECK(m->w.out_proj + (size_t)c->vocab * c->d_model == m->params + m->n_params);
    CHECK(m->g.out_proj + (size_t)c->vocab * c->d_model == m->grads + m->n_params);
    CHECK(m->w.layer[c->n_layers - 1].fc2b == m->params + emg_model_tensor(m, "ln_f.weight")->offset - c->d_model);
    emg_model_free(m);
}

int main(void) {
    emg_model_config full = emg_model_config_emogen(462);
    check_layout(&full, 20211328u);          /* EmoGen Piano: the spec's count */
    emg_model_config topmagd = emg_model_config_emogen(692);
    check_layout(&topmagd, 20446848u);       /* TopMAGD */
    emg_model_config small = emg_model_config_small(), tiny = emg_model_config_tiny();
    check_layout(&small, 1119744u);
    check_layout(&tiny, 264896u);
    CHECK_EQ_INT(full.d_model, 512); CHECK_EQ_INT(full.n_layers, 6); CHECK_EQ_INT(full.n_heads, 8);
    CHECK_EQ_INT(full.d_ffn, 2048); CHECK_EQ_INT(full.attr_num, 100); CHECK_EQ_INT(full.attr_buckets, 2);
    CHECK_EQ_INT(full.attr_embed, 16);

    /* canonical order = the reference's param_names (vendored debug states) */
    const char *files[2] = {TEST_DATA_DIR "/model/debug_state_tiny.h5", TEST_DATA_DIR "/model/debug_state_small.h5"};
    for (int fi = 0; fi < 2; fi++) {
        hid_t f = H5Fopen(files[fi], H5F_ACC_RDONLY, H5P_DEFAULT);
        CHECK(f >= 0);
        if (f < 0) continue;
        emg_model_config c;
        emg_status st = emg_model_config_read_h5(f, &c);
        CHECK_EQ_INT(st.code, 0);
        H5Fclose(f);
        emg_model *m = emg_model_create(&c);
        char **names = NULL;
        int n = read_names(files[fi], &names);
        CHECK_EQ_INT(n, m->n_tensors);
        int same = n == m->n_tensors;
        for (int k = 0; same && k < n; k++) same &= !strcmp(names[k], m->tensors[k].name);
        CHECK(same);
        for (int k = 0; k < n; k++) free(names[k]);
        free(names);
        emg_model_free(m);
    }
    CHECK_EQ_INT(emg_model_param_count(&tiny), 264896u);

    /* initialisation: pad row zero, LayerNorms 1/0, N(0, d^-1/2) embeddings, U(+-1/sqrt(in)) Linear */
    emg_model *m = emg_model_create(&small);
    emg_model_init_params(m, 1);
    const emg_tensor_info *te = emg_model_tensor(m, "tok_emb"), *tq = emg_model_tensor(m, "layers.1.fc2.weight");
    int pad0 = 1;
    for (int i = 0; i < small.d_model; i++) pad0 &= m->params[te->offset + (size_t)small.pad_idx * small.d_model + i] == 0.0f;
    CHECK(pad0);
    double s2 = 0;
    for (size_t i = 0; i < te->numel; i++) s2 += (double)m->params[te->offset + i] * m->params[te->offset + i];
    CHECK_NEAR(sqrt(s2 / (double)(te->numel - (size_t)small.d_model)), 1.0 / sqrt(128.0), 0.004);
    float mx = 0;
    for (size_t i = 0; i < tq->numel; i++) mx = fmaxf(mx, fabsf(m->params[tq->offset + i]));
    CHECK(mx <= 1.0f / sqrtf(512.0f) && mx > 0.95f / sqrtf(512.0f));
    CHECK_EQ_DBL(m->params[emg_model_tensor(m, "layers.2.ln1.weight")->offset + 5], 1.0);
    CHECK_EQ_DBL(m->params[emg_model_tensor(m, "ln_f.bias")->offset + 7], 0.0);
    emg_model *m2 = emg_model_create(&small);
    emg_model_init_params(m2, 1);
    CHECK(!memcmp(m->params, m2->params, m->n_params * sizeof(float)));  /* deterministic */
    emg_model_free(m2);
    emg_model_free(m);
    /* configuration checks */
    emg_model_config bad = tiny;
    bad.n_heads = 5;
    CHECK(emg_model_config_invalid(&bad) != NULL);
    CHECK(emg_model_config_invalid(&tiny) == NULL);
    return TEST_DONE();
}
