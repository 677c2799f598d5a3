#include "query/search_index_build.hpp"

#include <exception>

namespace accidents::query {

SearchIndexBuild::SearchIndexBuild(std::shared_ptr<const data::Dataset> dataset, Start start)
    : dataset_(std::move(dataset)) {
    if (start == Start::now) {
        this->start();
    }
}

void SearchIndexBuild::start() {
    if (thread_.joinable()) {
        return;
    }
    thread_ = std::jthread([this](const std::stop_token& stop) {
        const auto start = std::chrono::steady_clock::now();
        std::unique_ptr<SearchIndex> index;
        std::string error;
        try {
            index = SearchIndex::build(*dataset_, stop);
            if (!index) {
                error = "the build was stopped";
            }
        } catch (const std::exception& e) {
            error = e.what();
        }
        const std::lock_guard lock(mutex_);
        index_ = std::move(index);
        error_ = std::move(error);
        seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ended_ = true;
        done_.notify_all();
    });
}

SearchIndexBuild::~SearchIndexBuild() {
    thread_.request_stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

SearchIndexBuild::State SearchIndexBuild::state(std::chrono::milliseconds wait) const {
    std::unique_lock lock(mutex_);
    if (wait.count() > 0) {
        done_.wait_for(lock, wait, [this] { return ended_; });
    }
    if (!ended_) {
        return {};
    }
    return {index_.get(), error_};
}

double SearchIndexBuild::seconds() const {
    const std::lock_guard lock(mutex_);
    return seconds_;
}

} // namespace accidents::query
