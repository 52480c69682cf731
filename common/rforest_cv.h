/* rforest_cv.h: cross-validation folds and classification metrics with scikit-learn's semantics,
 * and out-of-fold prediction with the random forest (rforest.h).
 *
 * A fold assignment is an array fold[n] with fold[i] in [0, k): sample i is in the test set of
 * split fold[i] and in the training set of every other split.
 *
 * Shuffling uses our own Fisher-Yates on the Philox generator (rng.h) with streams tagged
 * EMG_CV_STREAM_TAG, so the folds are a pure function of (labels, groups, k, seed); they are
 * stratified exactly like scikit-learn's but are not numpy's permutation. */
#pragma once
#include <mpi.h>
#include <stdint.h>

#include "rforest.h"
#include "status.h"

enum { EMG_CV_BAD_ARG = 1 };

/* the top byte of the Philox stream of fold shuffles: keeps them apart from the forest's tree
 * streams (0, 1, 2, ...) when the same seed (2022) is used for both */
#define EMG_CV_STREAM_TAG (UINT64_C(0xCF) << 56)

/* sklearn StratifiedKFold(n_splits=k, shuffle, random_state=seed): the per-class number of test
 * samples of each fold is sklearn's round-robin allocation over the labels sorted by order of first
 * appearance; each class's fold labels are laid out in blocks and (shuffle) permuted, then given to
 * that class's samples in data order. y: any int labels. Errors: k < 2, k > n, or every class has
 * fewer than k members (sklearn's ValueError). */
emg_status emg_cv_stratified_kfold(const int *y, int64_t n, int k, int shuffle, uint64_t seed, int *fold);

/* sklearn GroupKFold(n_splits=k): groups by decreasing size (ties: smaller group id first), each
 * to the fold with the fewest samples so far (ties: lower fold). No shuffling (as sklearn 1.2).
 * Errors: k < 2 or fewer than k distinct groups. */
emg_status emg_cv_group_kfold(const int64_t *group, int64_t n, int k, int *fold);

/* sklearn StratifiedGroupKFold(n_splits=k, shuffle, random_state=seed): groups (shuffled, then
 * stably sorted by decreasing standard deviation of their class counts) each go to the fold that
 * keeps the per-class proportions most even (mean over classes of the std over folds of the
 * fold's share of the class; near-ties, np.isclose, go to the smaller fold). No group is in two
 * folds. Unlike sklearn 1.2, whose shuffle permutes the class-count rows but not the group ids
 * (fixed in sklearn 1.3), the shuffle here permutes the groups themselves.
 * Errors: k < 2, fewer than k groups, or every class has fewer than k members. */
emg_status emg_cv_stratified_group_kfold(const int *y, const int64_t *group, int64_t n, int k, int shuffle,
                                         uint64_t seed, int *fold);

/* confusion matrix cm[t * C + p]: samples of true class t predicted as p (labels in [0, C);
 * others are not counted) */
void emg_cv_confusion(const int *y_true, const int *y_pred, int64_t n, int C, int64_t *cm);
/* trace / total (0 if empty); = sklearn's f1_score(average="micro") for single-label data */
double emg_cv_accuracy(const int64_t *cm, int C);
/* per-class F1 = 2 tp / (2 tp + fp + fn); 0 where the class is neither present nor predicted
 * (sklearn's zero_division) */
void emg_cv_f1(const int64_t *cm, int C, double *f1);
/* unweighted mean of the per-class F1 (sklearn's average="macro") */
double emg_cv_macro_f1(const int64_t *cm, int C);

/* Out-of-fold prediction: for each split s in [0, k) fits a forest (options o, communicator comm,
 * as emg_forest_fit) on the samples with fold != s and predicts those with fold == s into pred
 * (and proba, n x C, if not NULL). fit_seconds (if not NULL) gets the summed wall time of the k
 * fits. importances (if not NULL, F values) gets the mean over the k forests of their importances.
 * Collective over comm. */
emg_status emg_cv_forest_predict(const double *X, const int *y, int64_t n, int F, int C, const int *fold,
                                 int k, const emg_forest_opts *o, MPI_Comm comm, int *pred, double *proba,
                                 double *importances, double *fit_seconds);
