#include "cli/terminal_progress.hpp"

#include <unistd.h>

#include <iostream>
#include <string>

namespace accidents::cli {

data::DatasetLoader::Progress terminal_progress() {
    if (::isatty(STDERR_FILENO) == 0) {
        return {};
    }
    return [last = -1](std::size_t done, std::size_t total) mutable {
        if (total < (64U << 20)) {
            return;
        }
        const int percent = static_cast<int>(done * 100 / total);
        if (percent == last) {
            return;
        }
        last = percent;
        const int width = 40;
        const int filled = percent * width / 100;
        std::cerr << "\rloading [" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << percent << "% of "
                  << total / (1U << 20) << " MiB" << (done == total ? "\n" : "") << std::flush;
    };
}

} // namespace accidents::cli
