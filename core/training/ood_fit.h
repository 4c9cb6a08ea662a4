#pragma once
// Fitting a bundle's OOD guard on its own training data: features of the training split's slices give the class
// means and shared covariance, the validation split's the threshold (core/inference/ood_guard.h). Run by `train`
// after it writes a bundle and by `lunglens-cli ood-fit` for bundles trained before the guard existed.
#include <functional>
#include <vector>

#include "core/inference/model.h"
#include "core/inference/ood_guard.h"
#include "core/training/dataset.h"

namespace lunglens::core::training {

// Pooled features (model.featureLength() per slice, in the data's order) of every slice, through the inference
// preprocessing and scoring path. `progress(done, total)` may be empty.
std::vector<float> sliceFeatures(const inference::Model& model, const Dataset& data, int batch = 16,
                                 const std::function<void(int, int)>& progress = {});

// Fits the guard for `model` (its classes; model_sha256 recorded). Throws InputError when a split is empty.
inference::OodGuard fitBundleGuard(const inference::Model& model, const Dataset& train, const Dataset& validation,
                                   double quantile = 0.99, const std::function<void(int, int)>& progress = {});

// Share of the slices of `data` the guard flags (features from sliceFeatures).
double flaggedFraction(const inference::OodGuard& guard, const std::vector<float>& features);

}  // namespace lunglens::core::training
