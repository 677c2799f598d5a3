#include "cli/data_commands.hpp"

#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/command_exit.hpp"
#include "cli/datasheet_location.hpp"
#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"

namespace accidents::cli {

namespace {

struct DataArguments {
    std::string data_path;
    std::size_t rows = 20000;
    std::uint64_t seed = 1;
    std::string out_path;
};

int import(const DataArguments& args) {
    const auto loaded = load_datasheet(args.data_path);
    std::cout << loaded.report().to_text();
    return 0;
}

int demo_data(const DataArguments& args) {
    std::ofstream out(args.out_path, std::ios::binary);
    if (!out) {
        throw std::runtime_error("cannot write " + args.out_path);
    }
    data::write_demo_datasheet(out, args.rows, args.seed);
    out.close();
    if (!out) {
        throw std::runtime_error("failed writing " + args.out_path);
    }
    std::cerr << "wrote " << args.rows << " rows to " << args.out_path << "\n";
    return 0;
}

} // namespace

void add_data_commands(CLI::App& app) {
    auto args = std::make_shared<DataArguments>();
    auto* import_cmd = app.add_subcommand("import", "Load a datasheet and print its load report");
    import_cmd
        ->add_option("--data", args->data_path, "Datasheet: CSV, .csv.gz, ARCHIVE.zip[:MEMBER] or s3://bucket/key")
        ->required()
        ->check(datasheet_location());
    import_cmd->callback([args] { run_command("accidents", [&] { return import(*args); }); });

    auto* demo = app.add_subcommand("demo-data", "Write a synthetic datasheet in the current release's format");
    demo->add_option("--rows", args->rows, "Number of rows")->capture_default_str();
    demo->add_option("--seed", args->seed, "Random seed: the same seed writes the same file")->capture_default_str();
    demo->add_option("--out", args->out_path, "Output file")->required();
    demo->callback([args] { run_command("accidents", [&] { return demo_data(*args); }); });
}

} // namespace accidents::cli
