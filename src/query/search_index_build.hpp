#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "data/dataset.hpp"
#include "query/search_index.hpp"

namespace accidents::query {

//! The SearchIndex of one Dataset, built on a thread of its own as soon as the Dataset is handed
//! over, so that everything else is answered meanwhile. Made with each (re)load and dropped with
//! its Dataset: destroying it stops a build still running (within about a thousand rows).
class SearchIndexBuild {
public:
    //! Where the build is: `index` once it is done; `error` when it failed (SQLite's message).
    struct State {
        const SearchIndex* index = nullptr;
        std::string error;
        bool building() const { return index == nullptr && error.empty(); }
    };

    //! When the build starts: at once, or when start() is called (tests observe the wait).
    enum class Start { now, later };

    //! Builds the index of `dataset` on a new thread, started now or by start().
    explicit SearchIndexBuild(std::shared_ptr<const data::Dataset> dataset, Start start = Start::now);
    ~SearchIndexBuild();
    SearchIndexBuild(const SearchIndexBuild&) = delete;
    SearchIndexBuild& operator=(const SearchIndexBuild&) = delete;

    //! The state after waiting up to `wait` for the build to end (not at all for zero).
    State state(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) const;

    //! Starts a build made with Start::later; does nothing once started.
    void start();

    //! How long the build took once it has ended, in seconds; 0 while building.
    double seconds() const;

private:
    std::shared_ptr<const data::Dataset> dataset_;
    mutable std::mutex mutex_;
    mutable std::condition_variable done_;
    std::unique_ptr<SearchIndex> index_;
    std::string error_;
    bool ended_ = false;
    double seconds_ = 0;
    std::jthread thread_; // last: started once the members above exist, joined before they go
};

} // namespace accidents::query
