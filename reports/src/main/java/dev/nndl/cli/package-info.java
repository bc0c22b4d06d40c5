/**
 * The {@code nndl} command line that ties the modules together, a class per subcommand:
 * {@code shapes}, {@code backends}, {@code conform}, {@code bench}, {@code profile},
 * {@code train}, {@code ladder}, {@code evaluate}, {@code export} and {@code predict}.
 */
package dev.nndl.cli;
