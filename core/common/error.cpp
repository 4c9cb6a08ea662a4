#include "core/common/error.h"

namespace lunglens::core {

InputError::InputError(std::string context, const std::string& message)
    : std::runtime_error(context.empty() ? message : context + ": " + message), context_(std::move(context)) {}

}  // namespace lunglens::core
