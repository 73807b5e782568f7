import Box from '@material-ui/core/Box';
import Table, { TableProps } from '@material-ui/core/Table';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  table: {
    // Backstage's theme gives table cells `word-break: break-word`, which
    // breaks any word where a narrow card squeezes its column ("Backu p
    // restor e"). Cells here break between words only; a table wider than
    // its card scrolls sideways instead.
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'normal',
    },
    // Long machine strings (image references, paths) may still wrap, at any
    // character, in the cells that hold them.
    '& code, & .ops-breakable': {
      overflowWrap: 'anywhere',
    },
  },
});

/**
 * A MUI table whose cells never break a word in the middle, in a box that
 * scrolls sideways when the table is wider than its card.
 */
export function WholeWordTable(props: TableProps) {
  const classes = useStyles();
  const { className, ...rest } = props;
  return (
    <Box overflow="auto">
      <Table
        {...rest}
        className={className ? `${classes.table} ${className}` : classes.table}
      />
    </Box>
  );
}
