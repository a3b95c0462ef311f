# Writes the shell completions and man pages with the built CLI (cmake -P, from
# cli/CMakeLists.txt): HELPMARK is the binary, OUT_DIR receives completions/ and man1/.
cmake_minimum_required(VERSION 3.25)

# Runs `helpmark ARGS...`; OUTPUT names the file its standard output goes to.
function(run_helpmark)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT" "ARGS")
  set(output)
  if(arg_OUTPUT)
    set(output OUTPUT_FILE ${arg_OUTPUT})
  endif()
  execute_process(COMMAND ${HELPMARK} ${arg_ARGS} ${output} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " shown "${arg_ARGS}")
    message(FATAL_ERROR "helpmark ${shown} failed (${rc}): ${err}")
  endif()
endfunction()

# A page of a command since removed must not stay behind to be installed.
file(REMOVE_RECURSE ${OUT_DIR}/completions ${OUT_DIR}/man1)
file(MAKE_DIRECTORY ${OUT_DIR}/completions)
run_helpmark(OUTPUT ${OUT_DIR}/completions/helpmark.bash ARGS completion bash)
run_helpmark(OUTPUT ${OUT_DIR}/completions/_helpmark ARGS completion zsh)
run_helpmark(OUTPUT ${OUT_DIR}/completions/helpmark.fish ARGS completion fish)
run_helpmark(ARGS manpage --output-dir ${OUT_DIR}/man1)
file(TOUCH ${OUT_DIR}/help-files.stamp)
