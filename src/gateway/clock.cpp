#include "gateway/clock.hpp"

namespace accidents::gateway {

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

} // namespace accidents::gateway
