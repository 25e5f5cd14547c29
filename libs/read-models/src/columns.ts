/**
 * The named columns of a row type. Rows the runner writes generically carry an index
 * signature, which would let a query name any column at all.
 */
export type Columns<Row> = { [K in keyof Row as string extends K ? never : K]: Row[K] };
