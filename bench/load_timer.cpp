// Loads a datasheet with DatasetLoader::load_file, REPEAT times (default 1), and prints one JSON line
// per load: its wall and CPU seconds (the process's CPU time, every thread), the rows and the threads
// the machine offers. bench/load-compare runs two builds of it (before and after a change) alternately
// in one run; it links the data library only, so a build of another commit is quick.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <time.h>

#include "data/dataset_loader.hpp"

namespace {

double cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: load_timer FILE [REPEAT]\n");
        return 2;
    }
    const std::string path = argv[1];
    const int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
    for (int i = 0; i < repeat; ++i) {
        const double cpu = cpu_seconds();
        const auto started = std::chrono::steady_clock::now();
        const auto loaded = accidents::data::DatasetLoader::load_file(path);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("{\"wall\": %.6f, \"cpu\": %.6f, \"rows\": %zu, \"hardware_threads\": %u}\n", wall,
                    cpu_seconds() - cpu, loaded.dataset->row_count(), std::thread::hardware_concurrency());
    }
    return 0;
}
