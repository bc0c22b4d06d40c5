/**
 * The {@code nndl} command line that ties the modules together: {@code shapes},
 * {@code backends} and {@code conform} today; {@code bench} and {@code train} arrive with the
 * reports and network issues.
 */
package dev.nndl.cli;
